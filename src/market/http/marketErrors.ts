// The market API's one code -> status table: every code a market route may answer, the typed
// errors of the book and the routes and the chain's CHAIN_UNAVAILABLE. The error middleware and
// the OpenAPI document both read it; a code without a status does not compile.
import type { ErrorStatusTable } from "../../http/index.ts";
import type { MarketErrorCode } from "../MarketError.ts";
import { PIPELINE_ERROR_STATUS, type PipelineErrorCode } from "../../wire/pipelines/index.ts";

export const MARKET_ERROR_STATUS = {
  INVALID_ORDER: 400,
  BAD_SIGNATURE: 400,
  INVALID_UNPUBLISH: 400,
  INVALID_ORDER_HASH: 400,
  INVALID_QUERY: 400,
  INVALID_CURSOR: 400,
  INVALID_ADDRESS: 400,
  INVALID_DEAL_ID: 400,
  INVALID_ASSET_ID: 400,
  INVALID_TIME_RANGE: 400,
  NOT_ASSET_OWNER: 403,
  NOT_ORDER_SIGNER: 403,
  UNKNOWN_ORDER_KIND: 404,
  ORDER_NOT_FOUND: 404,
  REQUEST_NOT_FOUND: 404,
  DEAL_NOT_FOUND: 404,
  WORKERPOOL_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  INVALID_TASK_INDEX: 400,
  /** The task has no accepted result yet. */
  RESULT_NOT_READY: 409,
  /** The result names no attestation bundle. */
  ATTESTATION_NOT_FOUND: 404,
  /** What IPFS holds under the result's or the bundle's CID is not what it should be. */
  ATTESTATION_INVALID: 502,
  /** IPFS (the market's gateway) cannot be read now; retry. */
  ATTESTATION_UNAVAILABLE: 503,
  ORDER_EXISTS: 409,
  UNKNOWN_ASSET: 422,
  UNKNOWN_CATEGORY: 422,
  ORDER_EXPIRED: 422,
  ORDER_CANCELLED: 422,
  ORDER_STALE: 422,
  ORDER_CONSUMED: 422,
  INSUFFICIENT_ESCROW: 422,
  INSUFFICIENT_STAKE: 422,
  UNPUBLISH_EXPIRED: 422,
  FEED_FULL: 503,
  /** The request carries no valid, fresh account signature (x-continuum-account, -timestamp, -signature). */
  ACCOUNT_SIGNATURE_REQUIRED: 401,
  /** The signing account does not own the workerpool on-chain. */
  NOT_WORKERPOOL_OWNER: 403,
  INVALID_SCHEDULER_URL: 400,
  INVALID_PIPELINE_ID: 400,
  PIPELINE_NOT_FOUND: 404,
  PIPELINE_EXISTS: 409,
  ...PIPELINE_ERROR_STATUS,
  /** The chain node cannot be read (ChainReadError): neither accepted nor refused, retry. */
  CHAIN_UNAVAILABLE: 503,
} as const satisfies ErrorStatusTable<MarketErrorCode | PipelineErrorCode | "CHAIN_UNAVAILABLE">;
