// GET /v1/feed: a Server-Sent Events stream of order book changes ("order.added", "order.updated",
// "order.removed") and of whatever the server publishes (deal and task events forwarded from the
// indexer), with heartbeats, per-client topic filters, and slow or departed clients dropped.
// Event ids are "<stream>:<n>": a client reconnecting with Last-Event-ID gets what it missed
// from the recent events kept in memory, or a "feed.gap" event when they are gone (another
// market process, or too long away), telling it to re-read what it follows.
import { randomBytes } from "node:crypto";
import express, { type Request, type Response } from "express";
import type { EventEmitter } from "node:events";
import { toJson } from "../../core/bigintJson.ts";
import { silentLogger, type Logger } from "../../core/logger.ts";
import type { AnySignedOrder } from "../../wire/eip712/index.ts";
import type { RouteModule } from "../../http/routeModule.ts";
import type { OrderBookEvents, OrderRemovedEvent, OrderUpdatedEvent } from "../book/OrderBook.ts";
import { signedOrderToJson } from "../../wire/marketApi/orderJson.ts";
import { MarketError } from "../MarketError.ts";

export type FeedOptions = {
  /** The order book (or anything emitting its events). */
  book: EventEmitter<OrderBookEvents>;
  logger?: Logger;
  /** Interval of `: heartbeat` comments keeping idle connections and proxies alive (default 15 s). */
  heartbeatMs?: number;
  /** Concurrent clients; more get 503 FEED_FULL (default 1000). */
  maxClients?: number;
  /** Unsent bytes a client may fall behind by before it is disconnected (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Recent events kept for clients reconnecting with Last-Event-ID (default 2048). */
  replayEvents?: number;
};

export type FeedModule = RouteModule & {
  /** Sends `data` as event `topic` (e.g. "deal.created") to every client following that topic. */
  publish(topic: string, data: unknown): void;
  /** Ends every stream and stops listening to the book. */
  close(): void;
  readonly clientCount: number;
};

type Client = { res: Response; topics: readonly string[] };
/** An event kept for replay; its frame is written out the first time some client needs it. */
type Sent = { seq: number; topic: string; data: unknown; frame?: string };

const TOPIC = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
const RETRY_MS = 3_000;
/** Sent whatever a client's topics, when the events after its Last-Event-ID cannot be replayed. */
export const FEED_GAP_TOPIC = "feed.gap";

/** A client following "order" hears "order.added"; one following nothing hears everything. */
function follows(client: Client, topic: string): boolean {
  return client.topics.length === 0 || client.topics.some((wanted) => topic === wanted || topic.startsWith(`${wanted}.`));
}

function parseTopics(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value !== "string") throw new MarketError("INVALID_QUERY", "topics is one comma-separated list, e.g. topics=order,deal.created");
  const topics = value.split(",").map((topic) => topic.trim()).filter((topic) => topic.length > 0);
  const bad = topics.find((topic) => !TOPIC.test(topic));
  if (bad !== undefined) throw new MarketError("INVALID_QUERY", `"${bad}" is not a topic name (lowercase words joined by dots, e.g. order.added)`);
  return topics;
}

const FEED_PATHS = {
  "/v1/feed": {
    get: {
      summary: "Live feed of book and deal changes (Server-Sent Events)",
      description:
        "Events: order.added (a BookOrder), order.updated ({hash, remaining}), order.removed ({hash, reason}), and deal/task events " +
        "the server forwards from the chain: deal.created, task.completed, task.failed and task.claimed (these two with " +
        "failure: {code, attempts} as in LedgerTask), order.cancelled, reputation.changed, chain.rewound. " +
        "Comment lines carry heartbeats. Amounts are decimal strings. Event ids are <stream>:<n>; reconnecting with the " +
        "Last-Event-ID header (or lastEventId query parameter) replays the recent events missed, or sends feed.gap " +
        "({lastEventId}) when they cannot be replayed: the client should then re-read what it follows.",
      operationId: "followFeed",
      parameters: [
        {
          name: "topics",
          in: "query",
          required: false,
          description: "Comma-separated topics or topic prefixes (e.g. order,deal.created); all when absent",
          schema: { type: "string" },
        },
        {
          name: "lastEventId",
          in: "query",
          required: false,
          description: "The last event id received, for clients that cannot send the Last-Event-ID header",
          schema: { type: "string" },
        },
      ],
      responses: {
        "200": { description: "An event stream", content: { "text/event-stream": { schema: { type: "string" } } } },
      },
      errors: ["INVALID_QUERY", "FEED_FULL"],
    },
  },
};

export function createFeedRoutes(options: FeedOptions): FeedModule {
  const logger = (options.logger ?? silentLogger()).child({ component: "feed" });
  const maxClients = options.maxClients ?? 1_000;
  const maxBuffered = options.maxBufferedBytes ?? 1_048_576;
  const replayLimit = options.replayEvents ?? 2_048;
  const clients = new Set<Client>();
  /** This process's stream: ids of another process's (or an earlier run's) feed never replay here. */
  const stream = randomBytes(4).toString("hex");
  const recent: Sent[] = [];
  let eventId = 0;

  function drop(client: Client): void {
    if (clients.delete(client)) client.res.end();
  }

  function send(topic: string, data: unknown): void {
    const sent: Sent = { seq: ++eventId, topic, data };
    recent.push(sent);
    if (recent.length > replayLimit) recent.splice(0, recent.length - replayLimit);
    if (clients.size === 0) return;
    for (const client of clients) {
      if (!follows(client, topic)) continue;
      if (client.res.writableLength > maxBuffered) {
        logger.warn({ topic }, "feed client too slow; disconnecting it");
        drop(client);
        continue;
      }
      client.res.write(frameOf(sent));
    }
  }

  function frameOf(sent: Sent): string {
    sent.frame ??= `id: ${stream}:${sent.seq}\nevent: ${sent.topic}\ndata: ${toJson(sent.data)}\n\n`;
    return sent.frame;
  }

  /** Writes what followed `lastEventId`, or feed.gap when that is no longer (or never was) kept here. */
  function replay(client: Client, lastEventId: string): void {
    const [id, seqText] = lastEventId.split(":");
    const seq = Number(seqText);
    const oldest = recent[0]?.seq ?? eventId + 1;
    const replayable = id === stream && Number.isSafeInteger(seq) && seq <= eventId && seq >= oldest - 1;
    if (!replayable) {
      client.res.write(`id: ${stream}:${eventId}\nevent: ${FEED_GAP_TOPIC}\ndata: ${toJson({ lastEventId })}\n\n`);
      return;
    }
    for (const sent of recent) if (sent.seq > seq && follows(client, sent.topic)) client.res.write(frameOf(sent));
  }

  const onAdded = (order: AnySignedOrder) => send("order.added", { ...signedOrderToJson(order), status: "open", removedReason: null });
  const onUpdated = (event: OrderUpdatedEvent) => send("order.updated", event);
  const onRemoved = (event: OrderRemovedEvent) => send("order.removed", event);
  options.book.on("added", onAdded);
  options.book.on("updated", onUpdated);
  options.book.on("removed", onRemoved);

  const heartbeat = setInterval(() => {
    for (const client of clients) client.res.write(": heartbeat\n\n");
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  const router = express.Router();
  router.get("/feed", (req: Request, res: Response) => {
    const topics = parseTopics(req.query.topics);
    if (clients.size >= maxClients) throw new MarketError("FEED_FULL", "the live feed has too many clients; retry later", { maxClients });
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
    const client: Client = { res, topics };
    const lastEventId = req.get("last-event-id") ?? (typeof req.query.lastEventId === "string" ? req.query.lastEventId : undefined);
    if (lastEventId !== undefined) replay(client, lastEventId);
    clients.add(client);
    req.on("close", () => clients.delete(client));
  });

  return {
    name: "feed",
    router,
    openapi: { paths: FEED_PATHS },
    publish(topic, data) {
      if (!TOPIC.test(topic)) throw new RangeError(`feed topic "${topic}" must be lowercase words joined by dots`);
      send(topic, data);
    },
    close() {
      clearInterval(heartbeat);
      options.book.off("added", onAdded);
      options.book.off("updated", onUpdated);
      options.book.off("removed", onRemoved);
      for (const client of [...clients]) drop(client);
    },
    get clientCount() {
      return clients.size;
    },
  };
}
