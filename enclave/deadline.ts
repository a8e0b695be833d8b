// Bounds one step of a task in time: the step gets a signal that fires on its deadline or when the
// whole task is cancelled, and the step's promise is abandoned then even if it ignores the signal.

export interface StepBounds {
  timeoutMs: number;
  /** The task's cancellation signal. */
  signal?: AbortSignal;
}

export type StepEnd = "completed" | "timed-out" | "cancelled";

export class StepInterrupted extends Error {
  readonly end: Exclude<StepEnd, "completed">;

  constructor(end: Exclude<StepEnd, "completed">) {
    super(end === "cancelled" ? "the task was cancelled" : "the step ran past its deadline");
    this.end = end;
  }
}

/** Runs `step`; rejects with StepInterrupted on deadline or cancellation, else settles as `step` does. */
export async function withDeadline<T>(step: (signal: AbortSignal) => Promise<T>, bounds: StepBounds): Promise<T> {
  const timeout = AbortSignal.timeout(bounds.timeoutMs);
  const signal = bounds.signal === undefined ? timeout : AbortSignal.any([bounds.signal, timeout]);
  if (signal.aborted) throw interruption(bounds.signal);
  let onAbort: (() => void) | undefined;
  const interrupted = new Promise<never>((_, reject) => {
    onAbort = () => reject(interruption(bounds.signal));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  interrupted.catch(() => undefined);
  try {
    return await Promise.race([step(signal), interrupted]);
  } catch (error) {
    if (signal.aborted) throw interruption(bounds.signal);
    throw error;
  } finally {
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
  }
}

function interruption(taskSignal: AbortSignal | undefined): StepInterrupted {
  return new StepInterrupted(taskSignal?.aborted === true ? "cancelled" : "timed-out");
}
