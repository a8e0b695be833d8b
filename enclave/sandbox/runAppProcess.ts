// Runs the app's process to completion under watch: a wall-clock limit, resident memory and output
// size checked every poll, and cancellation. Any breach kills the whole process group at once, so
// the promise always settles; breaches and failures reject with a typed EnclaveError.
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { EnclaveError } from "../EnclaveError.ts";
import { directoryBytes, residentBytes, treeResidentBytes } from "./processMeasures.ts";
import type { LaunchCommand } from "./wrapCommand.ts";

export interface AppProcessSpec {
  launch: LaunchCommand;
  env: Record<string, string>;
  cwd: string;
  timeLimitMs: number;
  /** Resident memory ceiling in bytes; watched only when `watchMemory`. */
  memoryBytes: number;
  watchMemory: boolean;
  /** Sum the resident memory of every descendant of the started process (a sandbox's whole tree). */
  watchProcessTree?: boolean;
  /** What the app's runtime prints on stderr when it exhausts its memory budget. */
  memoryExhaustedMarkers?: readonly string[];
  outputDirectory: string;
  maxOutputBytes: number;
  signal?: AbortSignal;
  pollIntervalMs?: number;
}

export interface AppProcessReport {
  durationMs: number;
  /** Largest resident memory seen, when memory was watched. */
  peakResidentBytes: number | undefined;
}

const DEFAULT_POLL_MS = 100;
/** What V8 prints when the heap limit (--max-old-space-size) is reached: the node runtime's markers. */
const HEAP_EXHAUSTED_MARKERS = ["JavaScript heap out of memory", "Reached heap limit"];

export function runAppProcess(spec: AppProcessSpec): Promise<AppProcessReport> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let child: ChildProcess;
    try {
      child = spawn(spec.launch.command, spec.launch.args, {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        windowsHide: true,
      });
    } catch (cause) {
      reject(new EnclaveError("APP_FAILED", "The app could not be started.", undefined, { cause }));
      return;
    }
    let breach: EnclaveError | undefined;
    let peakResidentBytes: number | undefined;
    let settled = false;
    child.stdout?.resume();
    const heapExhausted = watchFor(child.stderr, spec.memoryExhaustedMarkers ?? HEAP_EXHAUSTED_MARKERS);

    const stop = (error: EnclaveError): void => {
      breach ??= error;
      killGroup(child);
    };
    const timer = setTimeout(
      () => stop(new EnclaveError("APP_TIMEOUT", "The app ran past its time limit and was killed.", { timeLimitMs: spec.timeLimitMs })),
      spec.timeLimitMs,
    );
    const onAbort = (): void => stop(new EnclaveError("CANCELLED", "The task was cancelled while the app ran."));
    spec.signal?.addEventListener("abort", onAbort, { once: true });
    if (spec.signal?.aborted) onAbort();

    let polling = false;
    const poll = setInterval(() => {
      if (polling || child.pid === undefined) return;
      polling = true;
      void measure(child.pid).finally(() => {
        polling = false;
      });
    }, spec.pollIntervalMs ?? DEFAULT_POLL_MS);

    const measure = async (pid: number): Promise<void> => {
      if (spec.watchMemory) {
        const resident = spec.watchProcessTree ? await treeResidentBytes(pid) : await residentBytes(pid);
        if (resident !== undefined) {
          peakResidentBytes = Math.max(peakResidentBytes ?? 0, resident);
          if (resident > spec.memoryBytes) {
            stop(new EnclaveError("MEMORY_EXCEEDED", "The app used more memory than allowed and was killed.", {
              memoryBytes: spec.memoryBytes,
            }));
          }
        }
      }
      const written = await directoryBytes(spec.outputDirectory, spec.maxOutputBytes);
      if (written > spec.maxOutputBytes) {
        stop(new EnclaveError("OUTPUT_TOO_LARGE", "The app wrote more output than allowed and was killed.", {
          maxOutputBytes: spec.maxOutputBytes,
        }));
      }
    };

    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      spec.signal?.removeEventListener("abort", onAbort);
      killGroup(child);
      child.stdout?.destroy();
      child.stderr?.destroy();
      outcome();
    };

    child.once("error", (cause) => {
      settle(() => reject(new EnclaveError("APP_FAILED", "The app could not be started.", undefined, { cause })));
    });
    child.once("exit", (exitCode, signal) => {
      const durationMs = Math.round(performance.now() - startedAt);
      settle(() => {
        classifyExit(spec, { exitCode, signal, durationMs, breach, heapExhausted: heapExhausted() }).then(
          () => resolve({ durationMs, peakResidentBytes }),
          reject,
        );
      });
    });
  });
}

interface ExitFacts {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  breach: EnclaveError | undefined;
  heapExhausted: boolean;
}

/** Resolves for a clean exit; otherwise rejects with the most specific cause of the failure. */
async function classifyExit(spec: AppProcessSpec, facts: ExitFacts): Promise<void> {
  if (facts.breach !== undefined) throw facts.breach;
  if (facts.heapExhausted) {
    throw new EnclaveError("MEMORY_EXCEEDED", "The app exhausted its memory limit.", { memoryBytes: spec.memoryBytes });
  }
  if (facts.exitCode === 0) return;
  // A write cut off by the file size limit makes the app fail; that failure is about its output.
  if ((await directoryBytes(spec.outputDirectory, spec.maxOutputBytes)) > spec.maxOutputBytes) {
    throw new EnclaveError("OUTPUT_TOO_LARGE", "The app wrote more output than allowed.", {
      maxOutputBytes: spec.maxOutputBytes,
    });
  }
  throw new EnclaveError("APP_FAILED", describeExit(facts.exitCode, facts.signal), {
    exitCode: facts.exitCode,
    signal: facts.signal,
    durationMs: facts.durationMs,
  });
}

function describeExit(exitCode: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `The app was killed by ${signal}.` : `The app exited with code ${exitCode}.`;
}

/** Kills the app and anything it started: the app leads its own process group (detached). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

/** Scans a stream for any of `markers` without keeping more than a small window of it. */
function watchFor(stream: Readable | null, markers: readonly string[]): () => boolean {
  let found = false;
  let carry = "";
  const keep = Math.max(...markers.map((marker) => marker.length));
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    if (found) return;
    const window = carry + chunk;
    found = markers.some((marker) => window.includes(marker));
    carry = window.slice(-keep);
  });
  return () => found;
}
