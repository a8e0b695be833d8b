// Typed errors of the attestation module around DCAP (whose own errors are DcapError): invalid
// caller input, bounded challenges and measurement documents, each with a stable code.
import { ContinuumError } from "../core/ContinuumError.ts";

export type AttestationErrorCode =
  | "INVALID_ATTESTATION_INPUT"
  /** A verifier holds as many unanswered challenges for a client (or in all) as it allows. */
  | "TOO_MANY_CHALLENGES"
  /** A measurement document (src/attestation/policy) that does not parse. */
  | "INVALID_MEASUREMENT_DOCUMENT";

export class AttestationError extends ContinuumError<AttestationErrorCode> {}
