// The safety net under the replicas' notices: the matcher's memory compared with the open orders
// of the database, and set right. Orders missing from memory are added, orders the database no
// longer holds open leave it, and a remaining volume higher in memory than in the database comes
// down (memory may be lower: the leader's matcher re-reads consumed volumes from the chain before
// the indexer stores them). Orders a book event touched while the database was read are left as
// those events set them.
import type { EventEmitter } from "node:events";
import type { MatchingBook } from "../../matcher/MatchingBook.ts";
import type { AnySignedOrder, OrderKind } from "../../wire/eip712/index.ts";
import type { OrderBook, OrderBookEvents } from "../book/OrderBook.ts";
import { signedOf } from "./BookReplication.ts";

const KINDS: readonly OrderKind[] = ["app", "dataset", "workerpool", "request"];

export type ReconcileOptions = {
  book: Pick<OrderBook, "openOrders">;
  matching: MatchingBook;
  /** The book events this replica hears (its own and the other replicas'). */
  events: EventEmitter<OrderBookEvents>;
  /** The chain's time in seconds: expired orders are not brought back (the sweep removes them). */
  chainNow(): Promise<bigint>;
  /** Orders the matcher set aside on purpose (parked after a refusal): not brought back. */
  setAside?: (hash: string) => boolean;
};

/** What a reconcile changed: each count is of orders memory had wrong. */
export type ReconcileResult = { open: number; added: number; removed: number; lowered: number };

export async function reconcileMatchingBook(options: ReconcileOptions): Promise<ReconcileResult> {
  const { matching, events } = options;
  const touched = new Set<string>();
  const onAdded = (order: AnySignedOrder) => touched.add(order.hash.toLowerCase());
  const onChanged = (event: { hash: string }) => touched.add(event.hash.toLowerCase());
  events.on("added", onAdded);
  events.on("updated", onChanged);
  events.on("removed", onChanged);
  try {
    const now = await options.chainNow();
    const stored = new Map<string, AnySignedOrder>();
    for (const kind of KINDS) {
      for await (const batch of options.book.openOrders(kind)) {
        for (const order of batch) stored.set(order.hash.toLowerCase(), signedOf(order));
      }
    }
    const result: ReconcileResult = { open: stored.size, added: 0, removed: 0, lowered: 0 };
    for (const order of [...matching.orders()]) {
      const hash = order.hash.toLowerCase();
      if (touched.has(hash)) continue;
      const truth = stored.get(hash);
      if (!truth) {
        matching.remove(hash);
        result.removed += 1;
      } else if (truth.remaining < order.remaining) {
        matching.updateRemaining(hash, truth.remaining);
        result.lowered += 1;
      }
    }
    for (const [hash, order] of stored) {
      if (touched.has(hash) || matching.has(hash) || order.order.expiry < now || options.setAside?.(hash)) continue;
      matching.add(order);
      result.added += 1;
    }
    return result;
  } finally {
    events.off("added", onAdded);
    events.off("updated", onChanged);
    events.off("removed", onChanged);
  }
}
