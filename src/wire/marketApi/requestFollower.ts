// Following one request's status as cheaply as the market allows: the live feed says when
// something about the request happened (a deal for it, a task of its deals, its book order
// changed or cancelled), and only then is GET /v1/requests/{hash} read again. While the feed is
// not connected (not yet, between reconnections, or given up after repeated failures) the status
// is polled instead; on the feed a slow re-read still guards against anything missed.
import { followFeed, type FeedEvent, type FeedFollowOptions, type FeedNotice } from "./feedStream.ts";

/** The feed topics that can concern a request. */
export const REQUEST_FEED_TOPICS = ["deal.created", "task", "order.updated", "order.removed", "order.cancelled", "chain.rewound"] as const;

export type FollowMode = "feed" | "polling";

export type RequestFollowOptions<S> = {
  marketUrl: string;
  requestHash: string;
  /** Reads the status (the caller's own client: signed, honouring 429 and Retry-After). */
  readStatus: () => Promise<S>;
  /** The deal ids a status names, so their task events are recognised. */
  dealsOf: (status: S) => readonly string[];
  /** Told each status read; returns true once following may stop. */
  onStatus: (status: S) => boolean | Promise<boolean>;
  /** Stop at this time (ms since the epoch), resolving with timedOut. */
  deadline: number;
  /** Between reads while the feed is not connected. */
  pollIntervalMs: number;
  /** Between reads while on the feed, in case an event was missed (default 30 s). */
  resyncMs?: number;
  /** Reads closer together than this are merged: a batch of events costs one read (default 100 ms). */
  coalesceMs?: number;
  /** How long the first read waits for the feed to open (default 2 s). */
  feedOpenWaitMs?: number;
  /** false: poll only, never open the feed. */
  useFeed?: boolean;
  /** Told when the follower moves between the feed and polling. */
  onMode?: (mode: FollowMode, reason: string) => void;
  /** Tunes the feed connection (failures before falling back, idle timeout, backoff). */
  feed?: Pick<FeedFollowOptions, "maxFailures" | "idleTimeoutMs" | "healthyAfterMs" | "retry">;
};

export type RequestFollowOutcome<S> = {
  /** The last status read. */
  status: S;
  timedOut: boolean;
  /** Status reads made in all, and how many of them were polls (no feed connected). */
  reads: number;
  polls: number;
  /** Feed events that concerned the request. */
  events: number;
  /** How the follow ended: on the feed, or polling (the feed never opened or was given up). */
  mode: FollowMode;
};

export async function followRequestStatus<S>(options: RequestFollowOptions<S>): Promise<RequestFollowOutcome<S>> {
  const hash = options.requestHash.toLowerCase();
  const deals = new Set<string>();
  const stop = new AbortController();
  let connected = false;
  const feedEnabled = options.useFeed !== false;
  let dirty = true;
  let wake: () => void = () => undefined;
  const nudge = () => {
    dirty = true;
    wake();
  };
  const counts = { reads: 0, polls: 0, events: 0 };
  let mode: FollowMode = "polling";
  let announced: FollowMode | undefined;
  /** Resolves at the feed's first word (open or down), so the first read does not race its opening. */
  let firstNotice: () => void = () => undefined;
  const feedAnswered = new Promise<void>((resolve) => (firstNotice = resolve));
  const setMode = (next: FollowMode, reason: string) => {
    mode = next;
    firstNotice();
    if (next === announced) return;
    announced = next;
    options.onMode?.(next, reason);
  };

  const onEvent = (event: FeedEvent) => {
    if (concerns(event, hash, deals)) {
      counts.events += 1;
      nudge();
    }
  };
  const onNotice = (notice: FeedNotice) => {
    if (notice.kind === "open") {
      connected = true;
      setMode("feed", notice.resumed ? "the feed reconnected" : "the feed opened");
      // A fresh connection may have missed what happened before it (not before the first read, which waits for it);
      // a resumed one was replayed to, or told of a gap.
      if (!notice.resumed && counts.reads > 0) nudge();
      return;
    }
    connected = false;
    setMode("polling", notice.kind === "abandoned" ? `the feed failed ${notice.failures} times in a row (${notice.reason})` : notice.reason);
    wake();
  };
  const feed = !feedEnabled
    ? Promise.resolve()
    : followFeed({ marketUrl: options.marketUrl, topics: REQUEST_FEED_TOPICS, onEvent, onNotice, signal: stop.signal, ...options.feed });

  let status: S | undefined;
  let lastReadAt = 0;
  try {
    if (feedEnabled) await Promise.race([feedAnswered, sleep(options.feedOpenWaitMs ?? 2_000, { unref: true })]);
    for (;;) {
      if (dirty) {
        const sinceLast = Date.now() - lastReadAt;
        const coalesce = options.coalesceMs ?? 100;
        if (sinceLast < coalesce) await sleep(coalesce - sinceLast);
        dirty = false;
        const polled = !connected;
        status = await options.readStatus();
        lastReadAt = Date.now();
        counts.reads += 1;
        if (polled) counts.polls += 1;
        for (const dealId of options.dealsOf(status)) deals.add(dealId.toLowerCase());
        if (await options.onStatus(status)) return { status, timedOut: false, ...counts, mode };
      }
      const now = Date.now();
      if (now >= options.deadline) return { status: status!, timedOut: true, ...counts, mode };
      const nextRead = lastReadAt + (connected ? (options.resyncMs ?? 30_000) : options.pollIntervalMs);
      const waitMs = Math.max(0, Math.min(nextRead, options.deadline) - now);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (dirty) wake();
      });
      wake = () => undefined;
      if (Date.now() >= nextRead) dirty = true;
    }
  } finally {
    stop.abort();
    await feed;
  }
}

/** Whether a feed event is about the request `hash` or one of its `deals` (adding a new deal of it). */
export function concerns(event: FeedEvent, hash: string, deals: Set<string>): boolean {
  if (event.event === "feed.gap" || event.event === "chain.rewound") return true;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(event.data) as Record<string, unknown>;
  } catch {
    return false;
  }
  const lower = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : undefined);
  if (event.event === "deal.created") {
    const deal = data.deal as Record<string, unknown> | undefined;
    if (lower(deal?.requestHash) !== hash) return false;
    const dealId = lower(data.dealId);
    if (dealId !== undefined) deals.add(dealId);
    return true;
  }
  if (event.event.startsWith("task.")) return deals.has(lower(data.dealId) ?? "");
  if (event.event === "order.updated" || event.event === "order.removed") return lower(data.hash) === hash;
  if (event.event === "order.cancelled") return lower(data.orderHash) === hash;
  return false;
}

function sleep(ms: number, options: { unref?: boolean } = {}): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (options.unref) timer.unref();
  });
}
