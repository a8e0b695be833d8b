// The runtimes an app bundle may name in its manifest. Adding one means adding an entry here and a
// launcher for it in the enclave runtime (scheduler/enclave/launchers), which is typed to need one.

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
} as const satisfies Record<string, AppRuntimeInfo>;

export type AppRuntime = keyof typeof APP_RUNTIMES;

export const APP_RUNTIME_NAMES = Object.keys(APP_RUNTIMES) as [AppRuntime, ...AppRuntime[]];
