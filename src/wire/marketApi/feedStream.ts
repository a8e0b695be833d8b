// The market's live feed (GET /v1/feed, Server-Sent Events) as a client follows it: one connection
// read frame by frame, reconnected after a drop with Last-Event-ID (the market replays what was
// missed, or sends feed.gap), backing off between attempts (honouring Retry-After), and given up
// after too many failures in a row so the caller can fall back to polling.
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs, type RetryPolicy } from "../../core/fetchWithRetry.ts";

export type FeedEvent = { id: string | undefined; event: string; data: string };

/** What the feed tells its follower, besides events. */
export type FeedNotice =
  /** A connection opened; `resumed` when it continued from a Last-Event-ID (missed events replayed or a gap announced). */
  | { kind: "open"; resumed: boolean }
  /** A connection failed or ended; `failures` counts those in a row without a useful connection. */
  | { kind: "down"; failures: number; reason: string; retryInMs: number }
  /** Too many failures in a row: the feed is not tried again. */
  | { kind: "abandoned"; failures: number; reason: string };

export type FeedFollowOptions = {
  /** The market's base URL (without /v1). */
  marketUrl: string;
  /** Topics or topic prefixes to follow (all when empty). */
  topics: readonly string[];
  onEvent: (event: FeedEvent) => void;
  onNotice?: (notice: FeedNotice) => void;
  /** Stops following (and ends the current connection). */
  signal: AbortSignal;
  /** Failures in a row before giving the feed up (default 5). */
  maxFailures?: number;
  /** No byte (not even a heartbeat) for this long ends the connection as dead (default 45 s). */
  idleTimeoutMs?: number;
  /** A connection that lived this long, or brought an event, resets the failure count (default 10 s). */
  healthyAfterMs?: number;
  /** Pauses between attempts: the fetchWithRetry backoff (base 250 ms, cap 5 s by default). */
  retry?: Partial<RetryPolicy>;
  random?: () => number;
};

const FEED_BACKOFF: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxDelayMs: 5_000 };

/**
 * Follows the feed until `signal` aborts (resolves) or the feed is abandoned after `maxFailures`
 * failures in a row (resolves after the "abandoned" notice). Never throws for the feed's own faults.
 */
export async function followFeed(options: FeedFollowOptions): Promise<void> {
  const policy: RetryPolicy = { ...FEED_BACKOFF, ...options.retry };
  const maxFailures = options.maxFailures ?? 5;
  const random = options.random ?? Math.random;
  let lastEventId: string | undefined;
  let failures = 0;
  while (!options.signal.aborted) {
    const outcome = await connectOnce(options, lastEventId, (id) => (lastEventId = id));
    if (options.signal.aborted) return;
    const healthy = outcome.events > 0 || outcome.openMs >= (options.healthyAfterMs ?? 10_000);
    failures = healthy ? 1 : failures + 1;
    if (failures >= maxFailures && !healthy) {
      options.onNotice?.({ kind: "abandoned", failures, reason: outcome.reason });
      return;
    }
    const retryInMs = retryDelayMs(failures - 1, outcome.retryAfterMs, policy, random);
    options.onNotice?.({ kind: "down", failures, reason: outcome.reason, retryInMs });
    await pause(retryInMs, options.signal);
  }
}

type ConnectionOutcome = { events: number; openMs: number; reason: string; retryAfterMs?: number };

async function connectOnce(options: FeedFollowOptions, lastEventId: string | undefined, remember: (id: string) => void): Promise<ConnectionOutcome> {
  const connection = new AbortController();
  const stop = () => connection.abort(options.signal.reason);
  options.signal.addEventListener("abort", stop, { once: true });
  const idleMs = options.idleTimeoutMs ?? 45_000;
  let idle: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => connection.abort(new Error(`no byte for ${idleMs} ms`)), idleMs);
    idle.unref?.();
  };
  const openedAt = Date.now();
  let events = 0;
  try {
    const search = new URLSearchParams();
    if (options.topics.length > 0) search.set("topics", options.topics.join(","));
    const url = `${options.marketUrl.replace(/\/+$/, "")}/v1/feed${search.size > 0 ? `?${search}` : ""}`;
    touch();
    const response = await fetch(url, {
      headers: { accept: "text/event-stream", ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }) },
      signal: connection.signal,
    });
    const type = response.headers.get("content-type") ?? "";
    if (!response.ok || !type.startsWith("text/event-stream") || response.body === null) {
      await response.body?.cancel().catch(() => undefined);
      return {
        events,
        openMs: 0,
        reason: `the feed answered HTTP ${response.status}${response.ok ? ` (${type || "no content type"})` : ""}`,
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
      };
    }
    options.onNotice?.({ kind: "open", resumed: lastEventId !== undefined });
    for await (const event of readEventStream(response.body, touch)) {
      if (event.id !== undefined) remember(event.id);
      events += 1;
      options.onEvent(event);
    }
    return { events, openMs: Date.now() - openedAt, reason: "the feed ended" };
  } catch (error) {
    const reason = connection.signal.aborted && !options.signal.aborted ? String((connection.signal.reason as Error)?.message ?? "idle") : describe(error);
    return { events, openMs: Date.now() - openedAt, reason };
  } finally {
    clearTimeout(idle);
    options.signal.removeEventListener("abort", stop);
    connection.abort();
  }
}

/** Parses a text/event-stream body into events (comments and `retry:` lines skipped); `onBytes` is told of every chunk. */
export async function* readEventStream(body: ReadableStream<Uint8Array>, onBytes: () => void = () => undefined): AsyncGenerator<FeedEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let id: string | undefined;
  let event = "";
  let data: string[] = [];
  for await (const chunk of body) {
    onBytes();
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A CR closing the chunk may be the first half of a CRLF: wait for the next chunk.
      if (buffer[newline] === "\r" && newline === buffer.length - 1) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
      if (line === "") {
        if (data.length > 0) yield { id, event: event || "message", data: data.join("\n") };
        event = "";
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
      else if (field === "id" && !value.includes("\0")) id = value;
    }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
