// The scheduler API's one code -> status table: every SchedulerError a worker route may answer.
// The shared shell's error middleware and the OpenAPI document both read it.
import type { ErrorStatusTable } from "../../src/http/shellErrors.ts";
import type { SchedulerErrorCode } from "../SchedulerError.ts";

/** Codes only startup raises; they never reach a worker. */
type StartupCode = "INVALID_SCHEDULER_OPTIONS";

export const SCHEDULER_ERROR_STATUS = {
  INVALID_REQUEST: 400,
  BAD_SIGNATURE: 401,
  STALE_REQUEST: 401,
  TASK_NOT_FOUND: 404,
  WORKER_NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  TRANSITION_CONFLICT: 409,
  ENCLAVE_ALREADY_AUTHORIZED: 409,
  NOT_ASSIGNED: 409,
  BAD_RESULT: 422,
} as const satisfies ErrorStatusTable<Exclude<SchedulerErrorCode, StartupCode>>;
