// Typed errors of the SMS that are not a client's mistake: configuration it refuses to run with,
// and stored data it cannot trust. HTTP-facing refusals are ApiErrors (see http/).
import { ContinuumError } from "../src/core/ContinuumError.ts";

export type SmsErrorCode =
  | "MASTER_KEY_MISSING"
  | "MASTER_KEY_INVALID"
  | "MASTER_KEY_MISMATCH"
  | "SECRET_UNREADABLE"
  | "DEPLOYMENT_INVALID"
  | "CHAIN_MISMATCH"
  | "SMS_LISTEN_FAILED"
  /** The trusted root or the collateral source of quote verification cannot be used. */
  | "ATTESTATION_CONFIG_INVALID";

export class SmsError extends ContinuumError<SmsErrorCode> {}
