// Keeps the matcher's in-memory book equal to the open orders of the database book: loads them
// once at start, then follows the book's added / updated / removed events (this replica's own,
// and the other replicas' as BookReplication relays them).
import type { EventEmitter } from "node:events";
import type { OrderBook, OrderBookEvents, OrderRemovedEvent, OrderUpdatedEvent } from "../book/OrderBook.ts";
import type { MatchingBook } from "../../matcher/MatchingBook.ts";
import type { AnySignedOrder, OrderKind } from "../../wire/eip712/index.ts";

const KINDS: readonly OrderKind[] = ["app", "dataset", "workerpool", "request"];

export type BookMirror = { readonly loaded: number; stop(): void };

/** Subscribes first, then loads, so no order published during the load is missed. */
export async function mirrorBook(book: Pick<OrderBook, "openOrders">, events: EventEmitter<OrderBookEvents>, matching: MatchingBook): Promise<BookMirror> {
  const added = (order: AnySignedOrder) => matching.add(order);
  const updated = (event: OrderUpdatedEvent) => matching.updateRemaining(event.hash, event.remaining);
  const removed = (event: OrderRemovedEvent) => void matching.remove(event.hash);
  events.on("added", added);
  events.on("updated", updated);
  events.on("removed", removed);
  let loaded = 0;
  for (const kind of KINDS) {
    for await (const batch of book.openOrders(kind)) {
      for (const { status: _status, removedReason: _reason, ...signed } of batch) {
        matching.add(signed as AnySignedOrder);
        loaded += 1;
      }
    }
  }
  return {
    loaded,
    stop: () => {
      events.off("added", added);
      events.off("updated", updated);
      events.off("removed", removed);
    },
  };
}
