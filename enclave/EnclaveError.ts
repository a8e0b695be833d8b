// Typed failures of one enclave task. The runtime never throws these at its caller: it returns
// them inside a failed outcome, so a worker can report the code and move on to the next task.
import { ContinuumError } from "../src/core/ContinuumError.ts";

export type EnclaveErrorCode =
  /** The task description is inconsistent (dataset named but not given, bad result key, ...). */
  | "BAD_TASK"
  /** keccak256(params) differs from the deal's paramsHash. */
  | "PARAMS_MISMATCH"
  /** The bundle or dataset could not be fetched from storage in time. */
  | "FETCH_FAILED"
  /** The bundle's bytes are not a valid bundle (archive, manifest or entrypoint). */
  | "BAD_BUNDLE"
  /** The fetched bundle does not measure as the app registered on-chain. */
  | "WRONG_MEASUREMENT"
  /** The app asks for more memory than this worker gives. */
  | "LIMITS_UNSATISFIABLE"
  /** The app needs what this worker's runtime does not declare (a native Python package or pin). */
  | "RUNTIME_UNSATISFIABLE"
  /** A required isolation mechanism is missing on this machine. */
  | "SANDBOX_UNAVAILABLE"
  | "ATTESTATION_FAILED"
  /** The scheduler gave no authorization, or one not signed by the deal's workerpool owner. */
  | "AUTHORIZATION_FAILED"
  /** The SMS refused to release secrets; details.reason carries its reason code. */
  | "SMS_REFUSED"
  /** The SMS could not be reached or answered nonsense. */
  | "SMS_UNAVAILABLE"
  /** The deal has a dataset but the SMS released no key for it. */
  | "DATASET_KEY_MISSING"
  | "BAD_DATASET_CHECKSUM"
  | "DATASET_TOO_LARGE"
  | "DATASET_DECRYPT_FAILED"
  /** A stage input's output is not where the scheduler said, or too large. */
  | "STAGE_INPUT_MISSING"
  /** A stage input's output does not open under the key the SMS released for it. */
  | "STAGE_INPUT_UNREADABLE"
  /** The app could not start, exited non-zero or was killed by a signal. */
  | "APP_FAILED"
  | "APP_TIMEOUT"
  | "MEMORY_EXCEEDED"
  | "OUTPUT_TOO_LARGE"
  /** The output directory holds something other than regular files and directories. */
  | "BAD_OUTPUT"
  | "RESULT_UPLOAD_FAILED"
  | "CANCELLED"
  /** An unexpected fault of the runtime itself. */
  | "ENCLAVE_FAILED";

export class EnclaveError extends ContinuumError<EnclaveErrorCode> {}
