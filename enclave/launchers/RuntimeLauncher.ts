// How the enclave starts an app of one runtime: the command line that confines it to its bundle,
// input, secrets and output directories within a memory budget, and the runtime profile its
// measurement is bound to.
import type { AppManifest, RuntimeProfile } from "../../src/apps/index.ts";
import type { LaunchCommand } from "../sandbox/wrapCommand.ts";

export interface LaunchRequest {
  /** Absolute path of the manifest's entrypoint inside the unpacked bundle. */
  entrypoint: string;
  bundleDirectory: string;
  inputDirectory: string;
  outputDirectory: string;
  secretsDirectory: string;
  memoryMb: number;
  /** What launchers that build their own sandbox (confinement "self") enforce themselves. */
  sandbox?: SelfSandboxRequest;
}

export interface SelfSandboxRequest {
  isolateNetwork: boolean;
  /** RLIMIT_FSIZE for every file the app writes, or undefined for none. */
  maxFileBytes: number | undefined;
  /** RLIMIT_NPROC of the app's own uid: its processes and threads together. */
  maxProcesses: number;
  /** The unprivileged uid the app runs as. */
  uid: number;
}

export interface RuntimeLauncher {
  /** Why this runtime cannot run sandboxed on this machine, or undefined when it can. Cached. */
  unavailableReason(): Promise<string | undefined>;
  command(request: LaunchRequest): LaunchCommand;
  /**
   * "os-wrappers" (the default): runApp puts `unshare` and `prlimit` around the command.
   * "self": the command is a whole sandbox (bubblewrap) built from request.sandbox.
   */
  confinement?: "os-wrappers" | "self";
  /** Readies the directories for the sandboxed app (gives them to its uid); after unavailableReason. */
  prepare?(request: LaunchRequest): Promise<void>;
  /** Variables the runtime adds to the app's environment. */
  environment?: Readonly<Record<string, string>>;
  /** Watch the resident memory of the whole process tree, not only the started process. */
  watchProcessTree?: boolean;
  /** What the runtime prints on stderr when the app ran out of its memory budget. */
  memoryExhaustedMarkers?: readonly string[];
  /** The profile app measurements are bound to under this launcher; after unavailableReason. */
  profile(): RuntimeProfile;
  /** Why this launcher cannot give the app what its manifest needs (packages), or undefined. */
  unmetRequirement?(manifest: AppManifest): string | undefined;
}
