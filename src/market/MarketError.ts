// Typed errors of the market: every reason the book, the intake, unpublishing and the API's
// parameter checks refuse something, with a stable code. The HTTP status of each code lives in
// one table (http/marketErrors.ts), from which the OpenAPI document is built too.
import { ContinuumError } from "../core/ContinuumError.ts";

export const MARKET_ERROR_CODES = [
  // Order intake: what a published order must satisfy.
  "INVALID_ORDER",
  "BAD_SIGNATURE",
  "NOT_ASSET_OWNER",
  "UNKNOWN_ASSET",
  "UNKNOWN_CATEGORY",
  "ORDER_EXPIRED",
  "ORDER_CANCELLED",
  "ORDER_STALE",
  "ORDER_CONSUMED",
  "INSUFFICIENT_ESCROW",
  "INSUFFICIENT_STAKE",
  "ORDER_EXISTS",
  // Unpublishing an order off the book.
  "INVALID_UNPUBLISH",
  "NOT_ORDER_SIGNER",
  "UNPUBLISH_EXPIRED",
  "ORDER_NOT_FOUND",
  // Path and query parameters of the API.
  "UNKNOWN_ORDER_KIND",
  "INVALID_ORDER_HASH",
  "INVALID_QUERY",
  "INVALID_CURSOR",
  "INVALID_ADDRESS",
  "INVALID_DEAL_ID",
  "INVALID_ASSET_ID",
  "INVALID_TIME_RANGE",
  // Ledger records nobody indexed.
  "REQUEST_NOT_FOUND",
  "DEAL_NOT_FOUND",
  "WORKERPOOL_NOT_FOUND",
  "TASK_NOT_FOUND",
  // A task's attestation: not there yet, not published, or not readable.
  "INVALID_TASK_INDEX",
  "RESULT_NOT_READY",
  "ATTESTATION_NOT_FOUND",
  "ATTESTATION_INVALID",
  "ATTESTATION_UNAVAILABLE",
  // The live feed is full.
  "FEED_FULL",
  // Announcing a workerpool's scheduler: a signed request by the workerpool's owner, with a usable URL.
  "ACCOUNT_SIGNATURE_REQUIRED",
  "NOT_WORKERPOOL_OWNER",
  "INVALID_SCHEDULER_URL",
  // Pipelines (the document's own refusals are PipelineError codes).
  "INVALID_PIPELINE_ID",
  "PIPELINE_NOT_FOUND",
  "PIPELINE_EXISTS",
] as const;

export type MarketErrorCode = (typeof MARKET_ERROR_CODES)[number];

export class MarketError extends ContinuumError<MarketErrorCode> {}
