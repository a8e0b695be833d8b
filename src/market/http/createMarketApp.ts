// The market's HTTP API on the shared shell: its route modules, its error table, its rate limit
// and body limit, and the explorer's pages mounted beside the API (they answer their own errors).
import type { Express } from "express";
import type { Logger } from "../../core/logger.ts";
import { createHttpApp, type HttpAppOptions, type PageMount } from "../../http/createHttpApp.ts";
import type { RouteModule } from "../../http/routeModule.ts";
import type { AccountLimits } from "../../http/rateLimit.ts";
import { MARKET_ERROR_STATUS } from "./marketErrors.ts";

export type { PageMount } from "../../http/createHttpApp.ts";

export type MarketAppOptions = {
  modules: readonly RouteModule[];
  /** Pages served beside the API (rate-limited like it); unknown paths outside them stay JSON 404s. */
  pages?: readonly PageMount[];
  /** Largest accepted request body; larger ones get 413 BODY_TOO_LARGE. */
  bodyLimitBytes: number;
  /** Sustained requests a minute per client IP (also the burst size); more get 429 RATE_LIMITED. */
  rateLimitPerMinute: number;
  /** Requests signed by an account (x-continuum-account) are limited per account instead (accountLimits.ts). */
  accountLimits?: AccountLimits;
  logger: Logger;
  /** express "trust proxy" setting, when the API sits behind a reverse proxy that sets X-Forwarded-For. */
  trustProxy?: boolean | number | string;
  /** Clock of the rate limiter, in milliseconds (tests). */
  now?: () => number;
  /** Served at GET /metrics. */
  metrics?: HttpAppOptions["metrics"];
  /** Checked by GET /readyz. */
  readiness?: HttpAppOptions["readiness"];
};

const API_VERSION = "1.0.0";

export function createMarketApp(options: MarketAppOptions): Express {
  return createHttpApp({
    ...options,
    title: "Continuum market API",
    version: API_VERSION,
    description:
      "Order book, requests, auditing and live feed of the Continuum confidential-compute market. Orders and Unpublish " +
      "messages are EIP-712 signed; GET /v1/info serves the chain id, the contracts, and the domain and types to sign them with.",
    errorStatus: MARKET_ERROR_STATUS,
    logger: options.logger.child({ component: "market-http" }),
  });
}
