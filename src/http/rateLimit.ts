// Per-client rate limiting: one token bucket per client key (the client's IP), refilled
// continuously at `perMinute / 60` tokens a second up to a burst of `perMinute` tokens.
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

/** Express middleware answering 429 RATE_LIMITED, with Retry-After, once a client's bucket is empty. */
export function rateLimitMiddleware(limiter: TokenBucketLimiter) {
  return function rateLimit(req: Request, res: Response, next: NextFunction): void {
    const client = req.ip ?? req.socket.remoteAddress ?? "unknown";
    const result = limiter.take(client);
    if (result.allowed) {
      next();
      return;
    }
    res.set("Retry-After", String(result.retryAfterSeconds));
    next(
      shellError("RATE_LIMITED", `too many requests from this client; retry in ${result.retryAfterSeconds} s`, {
        retryAfterSeconds: result.retryAfterSeconds,
      }),
    );
  };
}
