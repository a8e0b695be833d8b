// The SMS API's one code -> status table: its request refusals, every session refusal (403, in
// check order), the chain's CHAIN_UNAVAILABLE and a database that cannot be reached. The error
// middleware and the OpenAPI document both read it.
import type { ContinuumError } from "../../src/core/ContinuumError.ts";
import type { ErrorStatusTable } from "../../src/http/shellErrors.ts";
import { PersistenceError } from "../../src/persistence/PersistenceError.ts";
import { SESSION_REFUSALS, type SessionRefusalReason } from "../sessions/sessionRefusals.ts";
import { SmsError, type SmsRequestErrorCode } from "../SmsError.ts";
import { PIPELINE_ERROR_STATUS, type PipelineErrorCode } from "../../src/wire/pipelines/index.ts";

/** Pipeline registration's refusals: every pipeline code but the market's stage-order check. */
const { STAGE_ORDER_MISMATCH: _marketOnly, ...PIPELINE_REGISTRATION_STATUS } = PIPELINE_ERROR_STATUS;
export const PIPELINE_REGISTRATION_CODES = Object.keys(PIPELINE_REGISTRATION_STATUS) as (keyof typeof PIPELINE_REGISTRATION_STATUS)[];

const SESSION_REFUSAL_STATUS = Object.fromEntries(SESSION_REFUSALS.map(([code]) => [code, 403])) as Record<SessionRefusalReason, 403>;

export const SMS_ERROR_STATUS = {
  INVALID_REQUEST: 400,
  INVALID_ENCLAVE_KEY: 400,
  INVALID_SECRET: 400,
  EXPIRY_TOO_FAR: 400,
  INVALID_SIGNATURE: 401,
  REQUEST_EXPIRED: 401,
  NOT_ASSET_OWNER: 403,
  ...SESSION_REFUSAL_STATUS,
  ASSET_NOT_FOUND: 404,
  SECRET_NOT_FOUND: 404,
  SECRET_EXISTS: 409,
  VERSION_CONFLICT: 409,
  TOO_MANY_CHALLENGES: 429,
  /** The chain node cannot be read (ChainReadError): retry. */
  CHAIN_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  ...PIPELINE_REGISTRATION_STATUS,
} as const satisfies ErrorStatusTable<SmsRequestErrorCode | SessionRefusalReason | Exclude<PipelineErrorCode, "STAGE_ORDER_MISMATCH"> | "CHAIN_UNAVAILABLE">;

/** Driver codes of a connection that failed or was cut: the database, not the request, is at fault. */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "57P01", "53300"]);

/** Any persistence failure or lost connection is DATABASE_UNAVAILABLE: retry later, nothing was decided. */
export function translateSmsError(error: unknown): ContinuumError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof PersistenceError || (typeof code === "string" && CONNECTION_CODES.has(code))) {
    return new SmsError("DATABASE_UNAVAILABLE", "the SMS database is unavailable; retry later", {}, { cause: error });
  }
  return undefined;
}
