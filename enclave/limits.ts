// What one task may use: the worker's ceilings, narrowed by the app's manifest and the category's
// run time. An app that needs more memory than the worker gives is refused before it starts.
import type { AppManifest } from "../src/apps/index.ts";
import { EnclaveError } from "./EnclaveError.ts";

const MIB = 1024 * 1024;

/** A worker's ceilings; the configuration's `worker` section holds them and their defaults. */
export interface WorkerLimits {
  /** Most memory (resident set and V8 heap) an app may ask for, in MiB. */
  maxMemoryMb: number;
  /** Memory given to an app whose manifest names none, in MiB. */
  defaultMemoryMb: number;
  /** Largest output directory, in bytes (the manifest's outputMb may lower it). */
  maxOutputBytes: number;
  /** Most files in the output directory. */
  maxOutputFiles: number;
  maxBundleBytes: number;
  maxDatasetBytes: number;
  /** Processes and threads a bubblewrap-sandboxed app (python, wasi) may have at once. */
  maxProcesses: number;
  /** Lowers the category's run time when set (never raises it). */
  timeLimitMs?: number;
  /** Deadline of each storage transfer (bundle, dataset, result). */
  fetchTimeoutMs: number;
  /** Deadline of the scheduler's authorization and of the SMS session. */
  requestTimeoutMs: number;
}

export interface TaskLimits {
  memoryMb: number;
  maxOutputBytes: number;
  maxOutputFiles: number;
  maxProcesses: number;
  timeLimitMs: number;
}

export function resolveTaskLimits(worker: WorkerLimits, manifest: AppManifest, maxRunTimeSeconds: number): TaskLimits {
  const memoryMb = manifest.limits?.memoryMb ?? worker.defaultMemoryMb;
  if (memoryMb > worker.maxMemoryMb) {
    throw new EnclaveError("LIMITS_UNSATISFIABLE", "The app needs more memory than this worker gives.", {
      requestedMemoryMb: memoryMb,
      maxMemoryMb: worker.maxMemoryMb,
    });
  }
  const manifestOutput = manifest.limits?.outputMb === undefined ? Infinity : manifest.limits.outputMb * MIB;
  const categoryMs = maxRunTimeSeconds * 1000;
  return {
    memoryMb,
    maxOutputBytes: Math.min(worker.maxOutputBytes, manifestOutput),
    maxOutputFiles: worker.maxOutputFiles,
    maxProcesses: worker.maxProcesses,
    timeLimitMs: Math.min(categoryMs, worker.timeLimitMs ?? categoryMs),
  };
}
