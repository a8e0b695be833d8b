// How the enclave starts an app of one runtime: the command line that confines it to its bundle,
// input, secrets and output directories within a memory budget.
import type { LaunchCommand } from "../sandbox/wrapCommand.ts";

export interface LaunchRequest {
  /** Absolute path of the manifest's entrypoint inside the unpacked bundle. */
  entrypoint: string;
  bundleDirectory: string;
  inputDirectory: string;
  outputDirectory: string;
  secretsDirectory: string;
  memoryMb: number;
}

export interface RuntimeLauncher {
  /** Why this runtime cannot run sandboxed on this machine, or undefined when it can. Cached. */
  unavailableReason(): Promise<string | undefined>;
  command(request: LaunchRequest): LaunchCommand;
}
