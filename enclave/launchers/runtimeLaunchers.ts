// The launcher of every runtime a manifest may name. Typed as a record over AppRuntime, so adding a
// runtime to src/apps/runtimes.ts does not compile until it has a launcher here.
import type { AppRuntime, PythonRuntimeOptions } from "../../src/apps/index.ts";
import { nodeLauncher } from "./nodeLauncher.ts";
import { pythonLauncher } from "./pythonLauncher.ts";
import type { RuntimeLauncher } from "./RuntimeLauncher.ts";
import { wasiLauncher } from "./wasiLauncher.ts";

/** The Python interpreter a worker uses when its configuration names none. */
export const DEFAULT_PYTHON_INTERPRETER = "/usr/bin/python3";

export interface RuntimeExecutables {
  /** The Node.js executable for the "node" runtime and the WASI host. */
  nodePath: string;
  /** The interpreter and declared package set of the "python" runtime. */
  python?: PythonRuntimeOptions;
}

const cache = new Map<string, Record<AppRuntime, RuntimeLauncher>>();

/** One set of launchers per configuration and process, so each probes its runtime once. */
export function runtimeLaunchers(executables: RuntimeExecutables): Record<AppRuntime, RuntimeLauncher> {
  const key = JSON.stringify(executables);
  let launchers = cache.get(key);
  if (launchers === undefined) {
    launchers = {
      node: nodeLauncher(executables.nodePath),
      python: pythonLauncher(executables.python ?? { interpreter: DEFAULT_PYTHON_INTERPRETER }),
      wasi: wasiLauncher(executables.nodePath),
    };
    cache.set(key, launchers);
  }
  return launchers;
}
