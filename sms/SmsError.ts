// Typed errors of the SMS: configuration it refuses to run with, stored data it cannot trust,
// and every reason it refuses a request. The HTTP status of each request code lives in one
// table (http/smsErrors.ts); the startup codes never reach a client.
import { ContinuumError } from "../src/core/ContinuumError.ts";
import type { SessionRefusalReason } from "./sessions/sessionRefusals.ts";

/** Refusals of requests: malformed, unsigned or expired ones, ownership, versions, a database down. */
export type SmsRequestErrorCode =
  | "INVALID_REQUEST"
  | "INVALID_ENCLAVE_KEY"
  | "INVALID_SIGNATURE"
  | "REQUEST_EXPIRED"
  | "EXPIRY_TOO_FAR"
  | "INVALID_SECRET"
  | "ASSET_NOT_FOUND"
  | "NOT_ASSET_OWNER"
  | "SECRET_EXISTS"
  | "SECRET_NOT_FOUND"
  | "VERSION_CONFLICT"
  | "DATABASE_UNAVAILABLE"
  /** A client holds as many unanswered challenges as the SMS allows (per client, or in all). */
  | "TOO_MANY_CHALLENGES";

export type SmsErrorCode =
  | "MASTER_KEY_MISSING"
  | "MASTER_KEY_INVALID"
  | "MASTER_KEY_MISMATCH"
  /** sms.signerKey is not a usable secp256k1 key. */
  | "SIGNER_KEY_INVALID"
  | "SECRET_UNREADABLE"
  | "DEPLOYMENT_INVALID"
  | "CHAIN_MISMATCH"
  /** The deployment's contracts are missing on the chain, or their code is not the code deployed. */
  | "DEPLOYMENT_NOT_ON_CHAIN"
  | "DEPLOYMENT_CODE_MISMATCH"
  | "SMS_LISTEN_FAILED"
  /** The trusted root or the collateral source of quote verification cannot be used. */
  | "ATTESTATION_CONFIG_INVALID"
  | SmsRequestErrorCode
  /** A session refused: the reason is also the audit entry's. */
  | SessionRefusalReason;

export class SmsError extends ContinuumError<SmsErrorCode> {}
