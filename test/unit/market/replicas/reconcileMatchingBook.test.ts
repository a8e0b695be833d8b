import { expect } from "chai";
import { EventEmitter } from "node:events";
import { MatchingBook } from "../../../../src/matcher/MatchingBook.ts";
import type { OrderBookEvents } from "../../../../src/market/book/OrderBook.ts";
import type { BookOrder } from "../../../../src/market/book/orderRow.ts";
import { reconcileMatchingBook } from "../../../../src/market/replicas/reconcileMatchingBook.ts";
import type { AnySignedOrder, OrderKind } from "../../../../src/wire/eip712/index.ts";
import { NOW, app, request, workerpool } from "../../matcher/bookOrders.ts";

/** A database book holding `orders` open; `during` runs while it is being read. */
function storedBook(orders: AnySignedOrder[], during: () => void = () => undefined) {
  return {
    async *openOrders(kind: OrderKind): AsyncGenerator<BookOrder[]> {
      during();
      yield orders.filter((order) => order.kind === kind).map((order) => ({ ...order, status: "open" as const, removedReason: null }));
    },
  };
}

describe("reconciling the matcher's memory with the database", () => {
  it("adds what memory missed, drops what the database closed, and lowers a remaining volume memory holds too high", async () => {
    const missed = app();
    const closed = workerpool();
    const stale = request({ volume: 5n });
    const kept = app({ price: 7n });
    const matching = new MatchingBook();
    for (const order of [closed, { ...stale, remaining: 5n }, kept]) matching.add(order);
    const result = await reconcileMatchingBook({
      book: storedBook([missed, { ...stale, remaining: 2n }, kept]),
      matching,
      events: new EventEmitter<OrderBookEvents>(),
      chainNow: async () => NOW,
    });
    expect(result).to.deep.equal({ open: 3, added: 1, removed: 1, lowered: 1 });
    expect([...matching.orders()].map((order) => [order.hash, order.remaining]).sort()).to.deep.equal(
      [[missed.hash, 10n], [stale.hash, 2n], [kept.hash, 10n]].sort(),
    );
  });

  it("keeps a lower remaining volume: the leader's matcher reads the chain before the indexer stores it", async () => {
    const order = request({ volume: 5n });
    const matching = new MatchingBook();
    matching.add({ ...order, remaining: 1n });
    const result = await reconcileMatchingBook({ book: storedBook([order]), matching, events: new EventEmitter(), chainNow: async () => NOW });
    expect(result.lowered).to.equal(0);
    expect(matching.get(order.hash)?.remaining).to.equal(1n);
  });

  it("leaves alone expired orders, offers the matcher set aside, and orders a book event touched meanwhile", async () => {
    const expired = app({ expiry: NOW - 1n });
    const parked = workerpool();
    const touched = app();
    const removedMeanwhile = app({ price: 9n });
    const events = new EventEmitter<OrderBookEvents>();
    const matching = new MatchingBook();
    matching.add(removedMeanwhile);
    // While the database is read, another replica adds `touched` and this one adds `removedMeanwhile` (the read missed both).
    const book = storedBook([expired, parked], () => {
      events.emit("removed", { hash: touched.hash, reason: "unpublished" });
      events.emit("added", removedMeanwhile);
    });
    const result = await reconcileMatchingBook({ book, matching, events, chainNow: async () => NOW, setAside: (hash) => hash === parked.hash });
    expect(result).to.deep.equal({ open: 2, added: 0, removed: 0, lowered: 0 });
    expect([...matching.orders()].map((order) => order.hash)).to.deep.equal([removedMeanwhile.hash]);
    expect(events.listenerCount("added") + events.listenerCount("removed") + events.listenerCount("updated"), "listeners removed").to.equal(0);
  });
});
