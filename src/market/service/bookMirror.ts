// Keeps the matcher's in-memory book equal to the open orders of the database book: loads them
// once at start, then follows the book's added / updated / removed events.
import type { OrderBook, OrderRemovedEvent, OrderUpdatedEvent } from "../book/OrderBook.ts";
import type { MatchingBook } from "../../matcher/MatchingBook.ts";
import type { AnySignedOrder, OrderKind } from "../../wire/eip712/index.ts";

const KINDS: readonly OrderKind[] = ["app", "dataset", "workerpool", "request"];

export type BookMirror = { readonly loaded: number; stop(): void };

/** Subscribes first, then loads, so no order published during the load is missed. */
export async function mirrorBook(book: OrderBook, matching: MatchingBook): Promise<BookMirror> {
  const added = (order: AnySignedOrder) => matching.add(order);
  const updated = (event: OrderUpdatedEvent) => matching.updateRemaining(event.hash, event.remaining);
  const removed = (event: OrderRemovedEvent) => void matching.remove(event.hash);
  book.on("added", added);
  book.on("updated", updated);
  book.on("removed", removed);
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
      book.off("added", added);
      book.off("updated", updated);
      book.off("removed", removed);
    },
  };
}
