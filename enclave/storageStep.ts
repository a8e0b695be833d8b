// Storage transfers of a task under a deadline, with failures reported as the task sees them:
// FETCH_FAILED or RESULT_UPLOAD_FAILED with the storage code, or CANCELLED.
import { isContinuumError } from "../src/core/ContinuumError.ts";
import { withDeadline, StepInterrupted, type StepBounds } from "./deadline.ts";
import { EnclaveError, type EnclaveErrorCode } from "./EnclaveError.ts";

export async function storageStep<T>(
  failureCode: Extract<EnclaveErrorCode, "FETCH_FAILED" | "RESULT_UPLOAD_FAILED">,
  what: string,
  step: (signal: AbortSignal) => Promise<T>,
  bounds: StepBounds,
): Promise<T> {
  try {
    return await withDeadline(step, bounds);
  } catch (error) {
    if (error instanceof EnclaveError) throw error;
    if (error instanceof StepInterrupted && error.end === "cancelled") {
      throw new EnclaveError("CANCELLED", `The task was cancelled during: ${what}.`);
    }
    const reason = error instanceof StepInterrupted ? "TIMEOUT" : isContinuumError(error) ? error.code : "STORAGE_ERROR";
    throw new EnclaveError(failureCode, `Storage failed during: ${what}.`, { reason }, { cause: error });
  }
}
