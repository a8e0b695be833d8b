// Typed errors raised by the crypto module: one class whose stable `code` names the failure.
// Messages and details say what went wrong and where, never which key or password was involved.
import { ContinuumError } from "../core/ContinuumError.ts";

export type CryptoErrorCode =
  | "BAD_DATASET_KEY"
  | "BAD_DATASET_FORMAT"
  | "DATASET_TAMPERED"
  | "DATASET_TOO_LARGE"
  | "BAD_RESULT_KEY"
  | "BAD_RESULT_ENVELOPE"
  | "RESULT_DECRYPT_FAILED"
  | "BAD_PRIVATE_KEY"
  | "BAD_PASSWORD"
  | "BAD_KDF_PARAMS"
  | "BAD_KEY_FILE"
  | "KEY_FILE_EXISTS"
  | "KEY_FILE_NOT_FOUND"
  | "WRONG_PASSWORD";

export class CryptoError extends ContinuumError<CryptoErrorCode> {}
