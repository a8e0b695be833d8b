// Starts the app of an unpacked bundle in its sandbox: the runtime's launcher confines it to its
// directories and memory budget, either with the OS wrappers this machine offers around it (network
// namespace, file size limit: node) or as a whole bubblewrap sandbox of its own (python, wasi), and
// the process runs under the task's time, memory and output limits.
import { join } from "node:path";
import type { AppManifest } from "../src/apps/index.ts";
import type { NetworkIsolation, AppIsolation } from "./EnclaveTask.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { TaskLimits } from "./limits.ts";
import type { LaunchRequest, RuntimeLauncher } from "./launchers/RuntimeLauncher.ts";
import { runAppProcess, type AppProcessReport } from "./sandbox/runAppProcess.ts";
import type { SandboxCapabilities } from "./sandbox/sandboxCapabilities.ts";
import { sandboxUid } from "./sandbox/handOver.ts";
import { wrapCommand } from "./sandbox/wrapCommand.ts";

const MIB = 1024 * 1024;

export interface AppDirectories {
  bundle: string;
  input: string;
  secrets: string;
  output: string;
}

export interface AppRun {
  manifest: AppManifest;
  launcher: RuntimeLauncher;
  directories: AppDirectories;
  environment: Record<string, string>;
  limits: TaskLimits;
  isolation: AppIsolation;
  signal?: AbortSignal;
}

/** The isolation this task will get, or SANDBOX_UNAVAILABLE when a required part is missing. */
export async function planIsolation(
  launcher: RuntimeLauncher,
  capabilities: SandboxCapabilities,
  networkIsolation: NetworkIsolation,
): Promise<AppIsolation> {
  const runtimeProblem = await launcher.unavailableReason();
  if (runtimeProblem !== undefined) {
    throw new EnclaveError("SANDBOX_UNAVAILABLE", "The app's runtime cannot be sandboxed here.", { reason: runtimeProblem });
  }
  if (launcher.confinement === "self") {
    // bubblewrap makes the network namespace and prlimit the file size limit: both are part of it.
    return { networkIsolated: networkIsolation !== "off", fileSizeLimited: true, residentMemoryWatched: capabilities.residentMemoryWatch };
  }
  if (networkIsolation === "required" && !capabilities.networkNamespace) {
    throw new EnclaveError("SANDBOX_UNAVAILABLE", "Network isolation is required but `unshare -rn` does not work here.");
  }
  return {
    networkIsolated: networkIsolation !== "off" && capabilities.networkNamespace,
    fileSizeLimited: capabilities.resourceLimits,
    residentMemoryWatched: capabilities.residentMemoryWatch,
  };
}

export async function runApp(run: AppRun): Promise<AppProcessReport> {
  const { launcher } = run;
  // One byte more than allowed, so a file cut off by the limit still shows as too large.
  const maxFileBytes = run.isolation.fileSizeLimited ? run.limits.maxOutputBytes + 1 : undefined;
  const selfConfined = launcher.confinement === "self";
  const request: LaunchRequest = {
    entrypoint: join(run.directories.bundle, ...run.manifest.entrypoint.split("/")),
    bundleDirectory: run.directories.bundle,
    inputDirectory: run.directories.input,
    secretsDirectory: run.directories.secrets,
    outputDirectory: run.directories.output,
    memoryMb: run.limits.memoryMb,
    ...(selfConfined
      ? {
          sandbox: {
            isolateNetwork: run.isolation.networkIsolated,
            maxFileBytes,
            maxProcesses: run.limits.maxProcesses,
            uid: sandboxUid(),
          },
        }
      : {}),
  };
  await launcher.prepare?.(request);
  const launch = launcher.command(request);
  const wrapped = selfConfined ? launch : wrapCommand(launch, { isolateNetwork: run.isolation.networkIsolated, maxFileBytes });
  return runAppProcess({
    launch: wrapped,
    env: { ...run.environment, ...launcher.environment },
    watchProcessTree: launcher.watchProcessTree ?? false,
    memoryExhaustedMarkers: launcher.memoryExhaustedMarkers,
    cwd: run.directories.output,
    timeLimitMs: run.limits.timeLimitMs,
    memoryBytes: run.limits.memoryMb * MIB,
    watchMemory: run.isolation.residentMemoryWatched,
    outputDirectory: run.directories.output,
    maxOutputBytes: run.limits.maxOutputBytes,
    signal: run.signal,
  });
}
