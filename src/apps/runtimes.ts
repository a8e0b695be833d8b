// The runtimes an app bundle may name in its manifest. Adding one means adding an entry here, a
// launcher for it in the enclave runtime (enclave/launchers, typed to need one) and its measurement
// (measurement/appMeasurement.ts).

export interface AppRuntimeInfo {
  description: string;
  /** File name endings an entrypoint may have under this runtime. */
  entrypointExtensions: readonly string[];
}

export const APP_RUNTIMES = {
  node: {
    description: "Node.js 22 running the entrypoint under its permission model (ES module or CommonJS script).",
    entrypointExtensions: [".js", ".mjs", ".cjs"],
  },
  python: {
    description:
      "The worker's CPython 3 running the entrypoint in a bubblewrap sandbox; pure-Python packages vendored under vendor/, " +
      "native ones from the worker's declared package set.",
    entrypointExtensions: [".py"],
  },
  wasi: {
    description: "A WebAssembly module run through WASI preview 1 (node:wasi) in a bubblewrap sandbox.",
    entrypointExtensions: [".wasm"],
  },
} as const satisfies Record<string, AppRuntimeInfo>;

export type AppRuntime = keyof typeof APP_RUNTIMES;

export const APP_RUNTIME_NAMES = Object.keys(APP_RUNTIMES) as [AppRuntime, ...AppRuntime[]];
