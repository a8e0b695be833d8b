// The one way Continuum's HTTP clients survive a busy server: a 429 (any method: the server
// refused before doing anything) or a 503 to a GET is tried again after the server's
// Retry-After, or else after a capped exponential backoff with full jitter, so many clients
// refused together do not come back together. Transport errors are left to the caller.

export type RetryPolicy = {
  /** Attempts in all, the first included (default 8). */
  maxAttempts: number;
  /** The backoff's first step, in ms (default 250): attempt n waits up to base * 2^n. */
  baseDelayMs: number;
  /** The backoff's cap, in ms (default 15 s). */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the refusal is returned (default 120 s). */
  maxRetryAfterMs: number;
};

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 120_000,
});

export type RetryNotice = { attempt: number; status: number; delayMs: number; url: string };

export type FetchWithRetryOptions = Partial<RetryPolicy> & {
  /** Told before each pause (for a log line). */
  onRetry?: (notice: RetryNotice) => void;
  /** Cancels the pauses too; the signal of each attempt belongs in its RequestInit. */
  signal?: AbortSignal;
  /** A number in [0, 1) (tests pin it); Math.random by default. */
  random?: () => number;
  /** Wall clock in ms, for Retry-After given as an HTTP date. */
  now?: () => number;
};

/** Whether an answer with `status` to `method` is worth asking again. */
export function isRetryable(method: string, status: number): boolean {
  return status === 429 || (status === 503 && ["GET", "HEAD"].includes(method.toUpperCase()));
}

/** A Retry-After header in ms (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The pause before attempt `attempt + 1` (`attempt` counts from 0): the server's Retry-After plus
 * up to one base step of jitter; without it, full jitter over the capped exponential backoff.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy, random: () => number): number {
  if (retryAfterMs !== undefined) return retryAfterMs + Math.floor(random() * policy.baseDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * fetch() that asks again while the answer is retryable and attempts remain; returns the last
 * answer (a 429 included, for the caller's own error) and rethrows transport errors at once.
 * `init` may be a function, so each attempt gets fresh options (a new timeout signal, a new signature).
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit | (() => RequestInit | Promise<RequestInit>) = {},
  options: FetchWithRetryOptions = {},
): Promise<Response> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...definedOnly(options) };
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  for (let attempt = 0; ; attempt += 1) {
    const request = typeof init === "function" ? await init() : init;
    const response = await fetch(url, request);
    if (!isRetryable(request.method ?? "GET", response.status) || attempt + 1 >= policy.maxAttempts) return response;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return response;
    const delayMs = retryDelayMs(attempt, retryAfterMs, policy, random);
    // The refused answer's body is dropped so its connection can be reused.
    await response.body?.cancel().catch(() => undefined);
    options.onRetry?.({ attempt: attempt + 1, status: response.status, delayMs, url });
    await pause(delayMs, options.signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function definedOnly(options: FetchWithRetryOptions): Partial<RetryPolicy> {
  const policy: Partial<RetryPolicy> = {};
  for (const key of ["maxAttempts", "baseDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    if (options[key] !== undefined) policy[key] = options[key];
  }
  return policy;
}
