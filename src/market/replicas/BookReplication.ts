// The book's events as every part of one market replica hears them (the matcher's memory, the
// live feed): this replica's own writes, and those of the other replicas on the same PostgreSQL
// database, which each replica NOTIFYs after its writes commit and the others LISTEN to. Remote
// changes are applied one notice at a time, in the order they came; added orders are read back
// from the database, so a replica only ever adds what is stored and still open.
import type { EventEmitter } from "node:events";
import { toJson } from "../../core/bigintJson.ts";
import { silentLogger, type Logger } from "../../core/logger.ts";
import type { NotificationListener } from "../../persistence/notificationListener.ts";
import type { AnySignedOrder } from "../../wire/eip712/index.ts";
import type { OrderBook, OrderBookEvents } from "../book/OrderBook.ts";
import type { BookOrder } from "../book/orderRow.ts";
import { appendChange, decodeNotice, encodeNotices, type BookChange, type BookNotice } from "./bookNotices.ts";

/** How a replica reaches the others: its listener on the channel, and a NOTIFY on it. */
export type ReplicaChannel = {
  listener: Pick<NotificationListener, "on" | "off" | "start" | "close">;
  notify(payload: string): Promise<void>;
};

export type BookReplicationOptions = {
  /** The database book this replica writes to, and reads remote additions from. */
  book: Pick<OrderBook, "on" | "off" | "openAmong">;
  /** What the matcher's memory and the feed listen to: filled from both sides. */
  events: EventEmitter<OrderBookEvents>;
  /** This replica's live feed. */
  feed: { publish(topic: string, data: unknown): void };
  /** This replica's id on the channel: its own notices come back to it and are skipped. */
  origin: string;
  /** Absent on PGlite: one process, nobody to tell. */
  channel?: ReplicaChannel;
  logger?: Logger;
};

export type ReplicationCounts = { noticesSent: number; noticesApplied: number; noticeFailures: number };

/** A stored order as the book's events carry it: without its status columns. */
export function signedOf(order: BookOrder): AnySignedOrder {
  const { status: _status, removedReason: _reason, ...signed } = order;
  return signed as AnySignedOrder;
}

export class BookReplication {
  readonly #book: BookReplicationOptions["book"];
  readonly #events: EventEmitter<OrderBookEvents>;
  readonly #feed: BookReplicationOptions["feed"];
  readonly #origin: string;
  readonly #channel: ReplicaChannel | undefined;
  readonly #logger: Logger;
  readonly #counts: ReplicationCounts = { noticesSent: 0, noticesApplied: 0, noticeFailures: 0 };
  /** Local changes not yet sent, in order. */
  #outbox: BookChange[] = [];
  #flushScheduled = false;
  #sending: Promise<void> = Promise.resolve();
  /** Remote notices and exclusive work, one at a time. */
  #queue: Promise<void> = Promise.resolve();
  readonly #detach: (() => void)[] = [];

  constructor(options: BookReplicationOptions) {
    this.#book = options.book;
    this.#events = options.events;
    this.#feed = options.feed;
    this.#origin = options.origin;
    this.#channel = options.channel;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "book-replication", replica: options.origin });
    const added = (order: AnySignedOrder) => this.#local("added", order, { kind: "added", hashes: [order.hash.toLowerCase()] });
    const updated = (event: OrderBookEvents["updated"][0]) => this.#local("updated", event, { kind: "updated", orders: [event] });
    const removed = (event: OrderBookEvents["removed"][0]) => this.#local("removed", event, { kind: "removed", orders: [event] });
    this.#book.on("added", added);
    this.#book.on("updated", updated);
    this.#book.on("removed", removed);
    this.#detach.push(() => {
      this.#book.off("added", added);
      this.#book.off("updated", updated);
      this.#book.off("removed", removed);
    });
  }

  /** Whether other replicas are told and heard (PostgreSQL) or not (PGlite). */
  get replicated(): boolean {
    return this.#channel !== undefined;
  }

  get counts(): Readonly<ReplicationCounts> {
    return this.#counts;
  }

  /** Starts hearing the other replicas. */
  async start(): Promise<void> {
    if (!this.#channel) return;
    const onNotification = (payload: string) => this.#received(payload);
    this.#channel.listener.on("notification", onNotification);
    this.#detach.push(() => this.#channel!.listener.off("notification", onNotification));
    await this.#channel.listener.start();
  }

  /** Publishes a feed message to this replica's clients and to the other replicas' clients. */
  publishFeed(topic: string, data: unknown): void {
    this.#feed.publish(topic, data);
    if (this.#channel) this.#enqueue({ kind: "feed", topic, data: JSON.parse(toJson(data)) });
  }

  /** Runs `work` between remote notices: none is applied while it runs. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work);
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Sends what is still in the outbox, stops hearing the others. */
  async close(): Promise<void> {
    for (const detach of this.#detach.splice(0)) detach();
    this.#flush();
    await this.#sending;
    await this.#queue;
    await this.#channel?.listener.close();
  }

  #local<E extends keyof OrderBookEvents>(event: E, payload: OrderBookEvents[E][0], change: BookChange): void {
    this.#emit(event, payload);
    if (this.#channel) this.#enqueue(change);
  }

  #enqueue(change: BookChange): void {
    appendChange(this.#outbox, change);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // Changes of one tick (a batch of orders stored together) go in as few notices as fit.
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (!this.#channel || this.#outbox.length === 0) return;
    const { payloads, tooBig } = encodeNotices(this.#origin, this.#outbox.splice(0));
    for (const change of tooBig) {
      this.#logger.warn({ topic: change.kind === "feed" ? change.topic : change.kind }, "a feed message is too big for a notice; other replicas' clients miss it");
    }
    const channel = this.#channel;
    this.#sending = this.#sending.then(async () => {
      for (const payload of payloads) {
        try {
          await channel.notify(payload);
          this.#counts.noticesSent += 1;
        } catch (error) {
          this.#counts.noticeFailures += 1;
          this.#logger.warn({ err: error }, "cannot notify the other replicas; their books catch up at their next reconcile");
        }
      }
    });
  }

  #received(payload: string): void {
    const notice = decodeNotice(payload);
    if (!notice) {
      this.#logger.warn({ bytes: payload.length }, "ignored a notice that is not a book change");
      return;
    }
    if (notice.origin === this.#origin) return;
    this.exclusive(() => this.#apply(notice)).catch((error: unknown) => {
      this.#counts.noticeFailures += 1;
      this.#logger.warn({ err: error, from: notice.origin }, "cannot apply another replica's changes; the next reconcile will");
    });
  }

  async #apply(notice: BookNotice): Promise<void> {
    for (const change of notice.changes) {
      switch (change.kind) {
        case "added":
          // Read back: only what is stored and still open enters this replica's memory.
          for (const order of await this.#book.openAmong(change.hashes)) this.#emit("added", signedOf(order));
          break;
        case "updated":
          for (const event of change.orders) this.#emit("updated", event);
          break;
        case "removed":
          for (const event of change.orders) this.#emit("removed", event);
          break;
        case "feed":
          this.#feed.publish(change.topic, change.data);
          break;
      }
    }
    this.#counts.noticesApplied += 1;
    this.#logger.debug({ from: notice.origin, changes: notice.changes.length }, "applied another replica's changes");
  }

  /** A failing listener must not keep the others from hearing. */
  #emit<E extends keyof OrderBookEvents>(event: E, payload: OrderBookEvents[E][0]): void {
    for (const listener of this.#events.listeners(event)) {
      try {
        (listener as (value: OrderBookEvents[E][0]) => void)(payload);
      } catch (error) {
        this.#logger.error({ err: error, event }, "book event listener failed");
      }
    }
  }
}

