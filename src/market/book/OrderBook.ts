// The off-chain order book: accepted orders in the database, queried per kind in book order, kept
// in step with the chain by refreshOrders, and announced as "added", "updated" and "removed"
// events for the matcher and the live feed.
import { EventEmitter } from "node:events";
import { silentLogger, type Logger } from "../../core/logger.ts";
import type { AnySignedOrder, OrderKind } from "../../wire/eip712/index.ts";
import type { Database } from "../../persistence/managerOf.ts";
import { toPage, type Page, type PageQuery } from "../../http/pagination.ts";
import { MarketError } from "../MarketError.ts";
import { type OrderChainState } from "./chainState.ts";
import { CANCELLED } from "../../wire/eip712/types.ts";
import type { RemovalReason } from "./orderEntity.ts";
import type { BookOrder } from "./orderRow.ts";
import { cursorOf, OrderRepository, sortOf, type BookCursor, type BookFilters } from "./OrderRepository.ts";

export type OrderUpdatedEvent = { hash: string; remaining: bigint };
export type OrderRemovedEvent = { hash: string; reason: RemovalReason };
export type OrderBookEvents = {
  added: [AnySignedOrder];
  updated: [OrderUpdatedEvent];
  removed: [OrderRemovedEvent];
};

export type RefreshSummary = {
  /** Orders whose remaining volume changed and that stay open. */
  updated: string[];
  /** Orders taken out of the book (consumed or cancelled). */
  removed: string[];
  /** Orders whose state could not be read from the chain; call again for them. */
  failed: string[];
};

export type OrderBookOptions = {
  db: Database;
  chain: OrderChainState;
  logger?: Logger;
  /** Clock in milliseconds for removal times. */
  now?: () => number;
};

const HASH = /^0x[0-9a-f]{64}$/;

export class OrderBook extends EventEmitter<OrderBookEvents> {
  readonly #orders: OrderRepository;
  readonly #chain: OrderChainState;
  readonly #logger: Logger;
  readonly #now: () => number;

  constructor(options: OrderBookOptions) {
    super();
    this.#orders = new OrderRepository(options.db);
    this.#chain = options.chain;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "order-book" });
    this.#now = options.now ?? Date.now;
  }

  /** Stores validated orders; those already in the book (any status) come back as duplicates. */
  async add(orders: readonly AnySignedOrder[]): Promise<{ added: AnySignedOrder[]; duplicates: string[] }> {
    const inserted = await this.#orders.insertMany(orders);
    const added: AnySignedOrder[] = [];
    const duplicates: string[] = [];
    for (const order of orders) {
      if (inserted.delete(order.hash.toLowerCase())) added.push(order);
      else duplicates.push(order.hash);
    }
    for (const order of added) this.#notify("added", order);
    return { added, duplicates };
  }

  existingHashes(hashes: readonly string[]): Promise<Set<string>> {
    return this.#orders.existing(hashes);
  }

  /** The open orders among these hashes (unknown and removed ones are left out), in no particular order. */
  openAmong(hashes: readonly string[]): Promise<BookOrder[]> {
    return this.#orders.openAmong(hashes);
  }

  /** The order with this hash, open or removed. */
  get(hash: string): Promise<BookOrder | undefined> {
    return this.#orders.get(hash);
  }

  /**
   * Open orders of `kind` matching `filters`: app, dataset and workerpool orders cheapest first
   * (then oldest first); requests newest first.
   */
  async query(kind: OrderKind, filters: BookFilters, page: PageQuery): Promise<Page<BookOrder>> {
    const cursor = page.cursor === null ? null : decodeBookCursor(kind, page.cursor);
    const rows = await this.#orders.query(kind, filters, cursor, page.limit + 1);
    return toPage(rows, page.limit, (order) => encodeBookCursor(cursorOf(order)));
  }

  /** Takes an open order out of the book; false when it was not open. */
  async remove(hash: string, reason: RemovalReason): Promise<boolean> {
    const removed = await this.#orders.markRemoved(hash, reason, this.#now());
    if (removed) this.#notify("removed", { hash: hash.toLowerCase(), reason });
    return removed;
  }

  /**
   * Re-reads the consumed volume of these orders on-chain: cancelled and used-up orders leave the
   * book, others get their new remaining volume. Hashes not open in the book are ignored.
   */
  async refreshOrders(hashes: readonly string[]): Promise<RefreshSummary> {
    const wanted = [...new Set(hashes.map((hash) => hash.toLowerCase()).filter((hash) => HASH.test(hash)))];
    const open = await this.#orders.openAmong(wanted);
    const summary: RefreshSummary = { updated: [], removed: [], failed: [] };
    await Promise.all(open.map((order) => this.#refreshOne(order, summary)));
    return summary;
  }

  /** Removes open orders whose expiry has passed by the chain's clock; returns their hashes. */
  async removeExpired(): Promise<string[]> {
    const now = await this.#chain.latestTimestamp();
    const hashes = await this.#orders.removeExpired(now, this.#now());
    for (const hash of hashes) this.#notify("removed", { hash, reason: "expired" });
    return hashes;
  }

  /** Every open order of `kind` in book order, in batches (e.g. to load the matcher's memory). */
  async *openOrders(kind: OrderKind, batchSize = 1_000): AsyncGenerator<BookOrder[]> {
    let cursor: BookCursor | null = null;
    for (;;) {
      const batch = await this.#orders.query(kind, {}, cursor, batchSize);
      if (batch.length === 0) return;
      yield batch;
      if (batch.length < batchSize) return;
      cursor = cursorOf(batch[batch.length - 1]);
    }
  }

  countOpen(): Promise<Record<OrderKind, number>> {
    return this.#orders.countOpen();
  }

  async #refreshOne(order: BookOrder, summary: RefreshSummary): Promise<void> {
    let consumed: bigint;
    try {
      consumed = await this.#chain.consumed(order.hash);
    } catch (error) {
      this.#logger.warn({ err: error, orderHash: order.hash }, "cannot refresh order from the chain");
      summary.failed.push(order.hash);
      return;
    }
    const volume = order.order.volume;
    if (consumed === CANCELLED || consumed >= volume) {
      const reason: RemovalReason = consumed === CANCELLED ? "cancelled" : "consumed";
      const remaining = consumed === CANCELLED ? undefined : 0n;
      if (await this.#orders.markRemoved(order.hash, reason, this.#now(), remaining)) {
        summary.removed.push(order.hash);
        this.#notify("removed", { hash: order.hash, reason });
      }
      return;
    }
    const remaining = volume - consumed;
    if (await this.#orders.setRemaining(order.hash, remaining)) {
      summary.updated.push(order.hash);
      this.#notify("updated", { hash: order.hash, remaining });
    }
  }

  /** A failing subscriber must not break the book, nor keep other subscribers from hearing. */
  #notify<E extends keyof OrderBookEvents>(event: E, ...payload: OrderBookEvents[E]): void {
    for (const listener of this.listeners(event)) {
      try {
        (listener as (...args: OrderBookEvents[E]) => void)(...payload);
      } catch (error) {
        this.#logger.error({ err: error, event }, "order book subscriber failed");
      }
    }
  }
}

export function encodeBookCursor(cursor: BookCursor): unknown[] {
  return "price" in cursor ? [cursor.price.toString(), cursor.publishedAt, cursor.hash] : [cursor.publishedAt, cursor.hash];
}

/** Checks a decoded cursor has the shape this kind's sort order produces; anything else is the client's mistake. */
export function decodeBookCursor(kind: OrderKind, key: unknown[]): BookCursor {
  const invalid = () => new MarketError("INVALID_CURSOR", "cursor is not one this API returned for this order kind; start again without it");
  const isTime = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
  const isHash = (value: unknown): value is string => typeof value === "string" && HASH.test(value);
  if (sortOf(kind) === "recent") {
    const [publishedAt, hash] = key;
    if (key.length !== 2 || !isTime(publishedAt) || !isHash(hash)) throw invalid();
    return { publishedAt, hash };
  }
  const [price, publishedAt, hash] = key;
  if (key.length !== 3 || typeof price !== "string" || !/^[0-9]{1,78}$/.test(price) || !isTime(publishedAt) || !isHash(hash)) {
    throw invalid();
  }
  return { price: BigInt(price), publishedAt, hash };
}
