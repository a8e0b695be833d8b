// Typed errors of DCAP parsing and collateral handling, each with a stable code. A quote that
// fails verification is a refusal (data), not an error; these are for bytes that cannot be read.
import { ContinuumError } from "../../core/ContinuumError.ts";

export type DcapErrorCode =
  /** The input ends before a field it announces. */
  | "TRUNCATED"
  | "UNSUPPORTED_VERSION"
  | "UNSUPPORTED_ATTESTATION_KEY_TYPE"
  | "UNSUPPORTED_TEE_TYPE"
  /** The quoting enclave is not Intel's (header QE vendor ID). */
  | "UNSUPPORTED_QE_VENDOR"
  | "UNSUPPORTED_BODY_TYPE"
  | "UNSUPPORTED_CERTIFICATION_DATA_TYPE"
  /** A length field above the bounds of quoteLayout.ts (or the quote itself too long). */
  | "OVERSIZED"
  /** Bytes left over after a structure that must end there. */
  | "TRAILING_BYTES"
  /** The PCK chain is not a sequence of PEM certificates. */
  | "MALFORMED_PEM"
  | "MALFORMED_CERTIFICATE"
  | "MALFORMED_CRL"
  /** TCB info, QE identity or a collateral bundle that does not have the documented shape. */
  | "MALFORMED_COLLATERAL"
  /** No collateral for this platform, or the collateral service failed. */
  | "COLLATERAL_UNAVAILABLE"
  | "INVALID_CONFIGURATION";

export class DcapError extends ContinuumError<DcapErrorCode> {}
