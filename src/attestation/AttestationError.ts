// Typed errors thrown by the attestation module: malformed quotes or certificates, invalid
// configuration (trusted root, key files) and invalid caller input, each with a stable code.
import { ContinuumError, type ErrorDetails } from "../errors/ContinuumError.ts";

export type AttestationErrorCode =
  | "MALFORMED_QUOTE"
  | "MALFORMED_CERTIFICATE"
  | "INVALID_TRUSTED_ROOT"
  | "INVALID_KEY_FILE"
  | "KEY_FILE_EXISTS"
  | "INVALID_ATTESTATION_INPUT";

export class AttestationError extends ContinuumError {
  declare readonly code: AttestationErrorCode;

  constructor(code: AttestationErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(code, message, details, options);
  }
}
