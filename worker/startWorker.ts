// Entry point for `continuum worker start`: a registered, heartbeating, polling worker, and a
// handle whose close() stops it cleanly (finishing its running task).
import { Worker, type WorkerOptions } from "./Worker.ts";

export type RunningWorker = {
  readonly worker: Worker;
  readonly address: string;
  /** Stops polling; `abandon` cancels the running task and reports it failed instead of finishing it. */
  close(options?: { abandon?: boolean }): Promise<void>;
};

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const worker = new Worker(options);
  await worker.start();
  let closed: Promise<void> | undefined;
  return { worker, address: worker.address, close: (closeOptions) => (closed ??= worker.stop(closeOptions)) };
}
