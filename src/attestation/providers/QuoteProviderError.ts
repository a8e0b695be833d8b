// Typed errors of the worker's quote providers: the attestation device or file system missing or
// failing, another provider or writer in the way, and quotes that are short or not ours.
import { ContinuumError } from "../../core/ContinuumError.ts";

export type QuoteProviderErrorCode =
  /** Report data is not exactly 64 bytes. */
  | "INVALID_REPORT_DATA"
  /** The configuration does not describe a usable provider. */
  | "INVALID_CONFIGURATION"
  /** The attestation interface is absent: not inside Gramine, no configfs TSM, no such directory. */
  | "DEVICE_MISSING"
  /** A read or write of the attestation interface failed (permission, I/O, busy). */
  | "DEVICE_ERROR"
  /** Gramine is not configured for DCAP attestation (attestation_type is not "dcap"). */
  | "UNSUPPORTED_ATTESTATION_TYPE"
  /** The configfs-tsm report is produced by another provider than the expected one (e.g. not tdx_guest). */
  | "WRONG_PROVIDER"
  /** The report entry's generation moved while we used it: another process wrote to it. */
  | "CONCURRENT_WRITER"
  | "QUOTE_TOO_SHORT"
  /** The quote's header names no known version or TEE type. */
  | "MALFORMED_QUOTE"
  /** The quote is of another TEE than the provider's. */
  | "WRONG_TEE"
  /** The quote does not carry the report data it was asked for. */
  | "REPORT_DATA_MISMATCH";

export class QuoteProviderError extends ContinuumError<QuoteProviderErrorCode> {}
