// Per-client rate limiting: one token bucket per client key, refilled continuously at
// `perMinute / 60` tokens a second up to a burst of `perMinute` tokens. The key is the client's IP,
// or, for a request that names its account with a valid signature (a service's `identify`), the
// account: its own allowance, whatever address it comes from. Signed requests are also counted per
// IP under a ceiling, checked before the signature, so minting accounts does not buy an IP more
// than that ceiling, nor make the server verify more signatures than it.
import type { NextFunction, Request, Response } from "express";
import { shellError } from "./shellErrors.ts";

export type TokenBucketOptions = {
  /** Sustained requests a minute per client. */
  perMinute: number;
  /** Largest burst a rested client may send at once; defaults to `perMinute`. */
  burst?: number;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
};

export type TakeResult = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

type Bucket = { tokens: number; updatedAt: number };

/** Idle buckets are swept at most this often; a swept bucket was full, so forgetting it changes nothing. */
const SWEEP_INTERVAL_MS = 60_000;

export class TokenBucketLimiter {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();
  #lastSweep: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.perMinute > 0)) throw new RangeError("perMinute must be positive");
    this.#capacity = options.burst ?? options.perMinute;
    if (!(this.#capacity >= 1)) throw new RangeError("burst must be at least 1");
    this.#refillPerMs = options.perMinute / 60_000;
    this.#now = options.now ?? Date.now;
    this.#lastSweep = this.#now();
  }

  /** Takes one token for `key`, or says how long until one is available. */
  take(key: string): TakeResult {
    const now = this.#now();
    this.#sweep(now);
    const bucket = this.#refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    const waitMs = (1 - bucket.tokens) / this.#refillPerMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)) };
  }

  /** Number of clients currently tracked (for tests and metrics). */
  get trackedClients(): number {
    return this.#buckets.size;
  }

  #refilled(key: string, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.#capacity, updatedAt: now };
      this.#buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + elapsed * this.#refillPerMs);
    bucket.updatedAt = now;
    return bucket;
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * this.#refillPerMs >= this.#capacity) this.#buckets.delete(key);
    }
  }
}

/** Limits per account, for requests a service can attribute to one. */
export type AccountLimits = {
  /** One bucket per account. */
  limiter: TokenBucketLimiter;
  /** One bucket per IP for all its signed requests, taken before `identify` runs. */
  ipCeiling: TokenBucketLimiter;
  /** Whether the request claims an account at all (cheap: its headers). */
  claims(req: Request): boolean;
  /** The account that signed the request, or undefined when the claim does not verify (the IP's limit applies). */
  identify(req: Request): string | undefined;
};

/** Express middleware answering 429 RATE_LIMITED, with Retry-After, once a client's bucket is empty. */
export function rateLimitMiddleware(limiter: TokenBucketLimiter, accounts?: AccountLimits) {
  return function rateLimit(req: Request, res: Response, next: NextFunction): void {
    const client = req.ip ?? req.socket.remoteAddress ?? "unknown";
    if (accounts?.claims(req)) {
      const ceiling = accounts.ipCeiling.take(client);
      if (!ceiling.allowed) return refuse(res, next, ceiling.retryAfterSeconds, "too many signed requests from this address");
      const account = accounts.identify(req);
      if (account !== undefined) {
        const result = accounts.limiter.take(`account:${account}`);
        if (result.allowed) return next();
        return refuse(res, next, result.retryAfterSeconds, `too many requests from account ${account}`, { account });
      }
    }
    const result = limiter.take(client);
    if (result.allowed) return next();
    refuse(res, next, result.retryAfterSeconds, "too many requests from this client");
  };
}

function refuse(res: Response, next: NextFunction, retryAfterSeconds: number, what: string, details: Record<string, string> = {}): void {
  res.set("Retry-After", String(retryAfterSeconds));
  next(shellError("RATE_LIMITED", `${what}; retry in ${retryAfterSeconds} s`, { retryAfterSeconds, ...details }));
}
