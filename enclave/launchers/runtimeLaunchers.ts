// The launcher of every runtime a manifest may name. Typed as a record over AppRuntime, so adding a
// runtime to src/apps/runtimes.ts does not compile until it has a launcher here.
import type { AppRuntime } from "../../src/apps/index.ts";
import { nodeLauncher } from "./nodeLauncher.ts";
import type { RuntimeLauncher } from "./RuntimeLauncher.ts";

export interface RuntimeExecutables {
  /** The Node.js executable for the "node" runtime. */
  nodePath: string;
}

export function runtimeLaunchers(executables: RuntimeExecutables): Record<AppRuntime, RuntimeLauncher> {
  return { node: nodeLauncher(executables.nodePath) };
}
