// The market's per-account rate limits: a request that names its account with a valid signature
// (src/wire/marketApi/accountRequestSignature.ts) is charged to that account's allowance
// (market.accountRateLimitPerMinute) instead of its IP's; an invalid or stale claim falls back to
// the IP's. All signed requests of one IP share a ceiling of SIGNED_IP_CEILING_FACTOR accounts' worth.
import type { Request } from "express";
import { getBytes } from "ethers";
import { recoverSigner } from "../../crypto/signatures/recoverSigner.ts";
import { TokenBucketLimiter, type AccountLimits } from "../../http/rateLimit.ts";
import {
  ACCOUNT_HEADER,
  ACCOUNT_SIGNATURE_HEADER,
  ACCOUNT_TIMESTAMP_HEADER,
  accountRequestDigest,
  type MarketIdentity,
} from "../../wire/marketApi/accountRequestSignature.ts";

/** How far a signed request's timestamp may be from the market's clock. */
export const ACCOUNT_SIGNATURE_WINDOW_MS = 60_000;
/** One IP's signed requests may use as much as this many accounts' allowances. */
export const SIGNED_IP_CEILING_FACTOR = 10;

export type MarketAccountLimitOptions = {
  market: MarketIdentity;
  /** Sustained requests a minute per account (also its burst). */
  perMinute: number;
  /** Clock in ms (tests). */
  now?: () => number;
};

export function marketAccountLimits(options: MarketAccountLimitOptions): AccountLimits {
  const now = options.now ?? Date.now;
  return {
    limiter: new TokenBucketLimiter({ perMinute: options.perMinute, now }),
    ipCeiling: new TokenBucketLimiter({ perMinute: options.perMinute * SIGNED_IP_CEILING_FACTOR, now }),
    claims: (req) => req.get(ACCOUNT_HEADER) !== undefined,
    identify: (req) => signedAccount(req, options.market, now()),
  };
}

/** The lowercase account whose key signed this request now, or undefined. */
function signedAccount(req: Request, market: MarketIdentity, nowMs: number): string | undefined {
  const account = req.get(ACCOUNT_HEADER);
  const timestamp = req.get(ACCOUNT_TIMESTAMP_HEADER);
  const signature = req.get(ACCOUNT_SIGNATURE_HEADER);
  if (!account || !/^0x[0-9a-fA-F]{40}$/.test(account) || !timestamp || !/^\d{1,16}$/.test(timestamp) || !signature) return undefined;
  const timestampMs = Number(timestamp);
  if (Math.abs(nowMs - timestampMs) > ACCOUNT_SIGNATURE_WINDOW_MS) return undefined;
  const digest = accountRequestDigest(market, account, { method: req.method, path: req.originalUrl, timestampMs });
  const signer = recoverSigner(getBytes(digest), signature);
  return signer !== undefined && signer.toLowerCase() === account.toLowerCase() ? signer.toLowerCase() : undefined;
}
