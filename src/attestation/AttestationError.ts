// Typed errors thrown by the attestation module: malformed quotes or certificates, invalid
// configuration (trusted root, key files) and invalid caller input, each with a stable code.
import { ContinuumError } from "../core/ContinuumError.ts";

export type AttestationErrorCode =
  | "MALFORMED_QUOTE"
  | "MALFORMED_CERTIFICATE"
  | "INVALID_TRUSTED_ROOT"
  | "INVALID_KEY_FILE"
  | "KEY_FILE_EXISTS"
  | "INVALID_ATTESTATION_INPUT"
  /** A verifier holds as many unanswered challenges for a client (or in all) as it allows. */
  | "TOO_MANY_CHALLENGES"
  /** A measurement document (src/attestation/policy) that does not parse. */
  | "INVALID_MEASUREMENT_DOCUMENT";

export class AttestationError extends ContinuumError<AttestationErrorCode> {}
