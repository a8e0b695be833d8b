// The market's per-account rate limits: a request that names its account with a valid signature
// (src/wire/marketApi/accountRequestSignature.ts) is charged to that account's allowance
// (market.accountRateLimitPerMinute) instead of its IP's; an invalid or stale claim falls back to
// the IP's. All signed requests of one IP share a ceiling of SIGNED_IP_CEILING_FACTOR accounts' worth.
import { TokenBucketLimiter, type AccountLimits } from "../../http/rateLimit.ts";
import { ACCOUNT_HEADER, type MarketIdentity } from "../../wire/marketApi/accountRequestSignature.ts";
import { verifyAccountSignature } from "./accountSignature.ts";

export { ACCOUNT_SIGNATURE_WINDOW_MS } from "./accountSignature.ts";

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
    identify: (req) => {
      const signed = verifyAccountSignature(req, options.market, now());
      return "account" in signed ? signed.account : undefined;
    },
  };
}
