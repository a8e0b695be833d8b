// Typed failures of the worker process as it speaks to its scheduler: callers switch on `code`,
// people read `message`.
import { ContinuumError } from "../src/core/ContinuumError.ts";

export type WorkerErrorCode =
  /** The worker could not reach the scheduler, or got an answer it cannot read. */
  | "SCHEDULER_UNAVAILABLE"
  /** The scheduler refused a worker's request; details.code carries its code, details.status the HTTP status. */
  | "SCHEDULER_REFUSED"
  /** A fleet's worker process exited or stayed silent before it registered; details.stderr has its last lines. */
  | "WORKER_PROCESS_FAILED";

export class WorkerError extends ContinuumError<WorkerErrorCode> {}
