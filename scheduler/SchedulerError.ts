// Typed failures of the workerpool scheduler: callers switch on `code`, HTTP maps
// each code to a status (see http/schedulerErrors.ts), people read `message`.
import { ContinuumError } from "../src/core/ContinuumError.ts";

export type SchedulerErrorCode =
  /** A task state change the transition table does not list. */
  | "INVALID_TRANSITION"
  /** The task was no longer in the expected state: another transition won the race. */
  | "TRANSITION_CONFLICT"
  | "TASK_NOT_FOUND"
  | "WORKER_NOT_FOUND"
  /** The task is not assigned to the worker that speaks about it. */
  | "NOT_ASSIGNED"
  /** A request body or parameter is malformed. */
  | "INVALID_REQUEST"
  /** A worker's request signature is missing, malformed or by another key. */
  | "BAD_SIGNATURE"
  /** A signed request's timestamp is outside the accepted window. */
  | "STALE_REQUEST"
  /** The attempt already holds an authorization for another enclave. */
  | "ENCLAVE_ALREADY_AUTHORIZED"
  /** A reported result does not carry a valid enclave signature for the authorized enclave. */
  | "BAD_RESULT"
  | "INVALID_SCHEDULER_OPTIONS";

export class SchedulerError extends ContinuumError<SchedulerErrorCode> {}
