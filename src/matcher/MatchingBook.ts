// The matcher's in-memory order book: every open order indexed by asset, category, tag and
// restriction in price-time order, and the lookup that finds a request's cheapest match.
import type { AnySignedOrder, SignedOrder } from "../wire/eip712/index.ts";
import { toBookEntry, type AnyBookEntry, type BookEntry } from "./bookEntry.ts";
import { requestTerms, requestUsable, type MatchContext } from "./compatibility.ts";
import { searchMatch, type BookMatch } from "./findMatch.ts";
import { RankedIndex } from "./rankedIndex.ts";
import { RankedList } from "./rankedList.ts";
import { WorkerpoolIndex } from "./workerpoolIndex.ts";

export type { BookMatch, MatchContext };

/**
 * Adding or removing an order costs O(log b + b) for the few buckets it lives in (b: bucket
 * size, a memmove); `findMatch` visits only the orders of the request's app and dataset and the
 * workerpool buckets of its category it may use (see findMatch.ts for the bound).
 */
export class MatchingBook {
  readonly #byHash = new Map<string, AnyBookEntry>();
  readonly #apps = new RankedIndex<bigint, BookEntry<"app">>();
  readonly #datasets = new RankedIndex<bigint, BookEntry<"dataset">>();
  readonly #workerpools = new WorkerpoolIndex();
  /** Requests in time priority (their rank price is zero). */
  readonly #requests = new RankedList<BookEntry<"request">>();

  /** Number of open orders of all four kinds. */
  get size(): number {
    return this.#byHash.size;
  }

  /**
   * Adds an order (the book keeps its own copy). An order already in the book is replaced;
   * one with nothing remaining is not added.
   */
  add(order: AnySignedOrder): void {
    this.remove(order.hash);
    if (order.remaining <= 0n) return;
    const entry = toBookEntry(order);
    this.#byHash.set(entry.hash, entry);
    this.#index(entry, "insert");
  }

  /** Removes an order; false when it was not in the book. */
  remove(hash: string): boolean {
    const key = hash.toLowerCase();
    const entry = this.#byHash.get(key);
    if (!entry) return false;
    this.#byHash.delete(key);
    this.#index(entry, "remove");
    return true;
  }

  /** Sets an order's unconsumed volume; at zero (or below) the order leaves the book. */
  updateRemaining(hash: string, remaining: bigint): void {
    const entry = this.#byHash.get(hash.toLowerCase());
    if (!entry) return;
    if (remaining <= 0n) this.remove(hash);
    else entry.signed.remaining = remaining;
  }

  has(hash: string): boolean {
    return this.#byHash.has(hash.toLowerCase());
  }

  /** The book's copy of an order (read it, do not change it: use updateRemaining). */
  get(hash: string): AnySignedOrder | undefined {
    return this.#byHash.get(hash.toLowerCase())?.signed as AnySignedOrder | undefined;
  }

  /** Every order in the book, in no particular order (read them, do not change them). */
  *orders(): IterableIterator<AnySignedOrder> {
    for (const entry of this.#byHash.values()) yield entry.signed as AnySignedOrder;
  }

  /** Open request orders, oldest first. */
  openRequests(): SignedOrder<"request">[] {
    return Array.from(this.#requests, (entry) => entry.signed);
  }

  /** Workerpools with an open order in `category` (whose reputation a trust lookup may need). */
  workerpoolsIn(category: bigint): bigint[] {
    return this.#workerpools.workerpoolsIn(category);
  }

  /** Removes every order expired at `now` (chain seconds) and returns their hashes. O(n). */
  pruneExpired(now: bigint): string[] {
    const expired: string[] = [];
    for (const entry of this.#byHash.values()) if (now > entry.expiry) expired.push(entry.hash);
    for (const hash of expired) this.remove(hash);
    return expired;
  }

  /**
   * The cheapest app, dataset and workerpool orders of the book that `matchOrders` would accept
   * with `request` (ties: the older orders), or null. Escrow balances and signatures are not
   * checked here: the market checked them on entry and the sender's gas estimate re-checks them.
   */
  findMatch(request: SignedOrder<"request">, context: MatchContext): BookMatch | null {
    const terms = requestTerms(request.order, context);
    if (!requestUsable(request.remaining, terms)) return null;
    return searchMatch(terms, {
      appOrders: this.#apps.get(request.order.app),
      datasetOrders: request.order.dataset === 0n ? undefined : this.#datasets.get(request.order.dataset),
      workerpools: this.#workerpools,
    });
  }

  #index(entry: AnyBookEntry, operation: "insert" | "remove"): void {
    switch (entry.kind) {
      case "app":
        return this.#apps[operation](entry.signed.order.app, entry);
      case "dataset":
        return this.#datasets[operation](entry.signed.order.dataset, entry);
      case "workerpool":
        return this.#workerpools[operation](entry);
      case "request":
        this.#requests[operation](entry);
        return;
    }
  }
}

