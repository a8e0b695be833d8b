import { expect } from "chai";
import { MatchingBook, type BookMatch } from "../../../src/matcher/index.ts";
import type { AnySignedOrder } from "../../../src/wire/eip712/index.ts";
import { NOW, OTHER_REQUESTER, REQUESTER, TEE, app, bitsTag, dataset, request, workerpool } from "./bookOrders.ts";

const context = { now: NOW };

function bookOf(...orders: AnySignedOrder[]): MatchingBook {
  const book = new MatchingBook();
  for (const order of orders) book.add(order);
  return book;
}

function hashes(match: BookMatch | null) {
  return match && { app: match.app.hash, dataset: match.dataset?.hash, workerpool: match.workerpool.hash };
}

describe("MatchingBook", () => {
  describe("findMatch", () => {
    it("picks the cheapest app, dataset and workerpool orders", () => {
      const [a1, a2, d1, d2, w1, w2] = [app({ price: 6n }), app({ price: 4n }), dataset({ price: 2n }), dataset({ price: 1n }), workerpool({ price: 9n }), workerpool({ price: 7n })];
      const match = bookOf(a1, a2, d1, d2, w1, w2).findMatch(request(), context);
      expect(hashes(match)).to.deep.equal({ app: a2.hash, dataset: d2.hash, workerpool: w2.hash });
    });

    it("breaks price ties by time priority", () => {
      const [late, early] = [workerpool({}, 20), workerpool({}, 10)];
      const [appLate, appEarly] = [app({}, 5), app({}, 3)];
      const match = bookOf(late, early, appLate, appEarly, dataset()).findMatch(request(), context);
      expect(match!.workerpool.hash).to.equal(early.hash);
      expect(match!.app.hash).to.equal(appEarly.hash);
    });

    it("respects each price maximum of the request", () => {
      const book = bookOf(app({ price: 5n }), dataset({ price: 3n }), workerpool({ price: 10n }));
      expect(book.findMatch(request({ appMaxPrice: 5n, datasetMaxPrice: 3n, workerpoolMaxPrice: 10n }), context)).to.not.equal(null);
      expect(book.findMatch(request({ appMaxPrice: 4n }), context)).to.equal(null);
      expect(book.findMatch(request({ datasetMaxPrice: 2n }), context)).to.equal(null);
      expect(book.findMatch(request({ workerpoolMaxPrice: 9n }), context)).to.equal(null);
    });

    it("matches only the request's app, dataset and category", () => {
      const book = bookOf(app({ app: 2n }), dataset({ dataset: 2n }), workerpool({ category: 2n }), app(), dataset());
      expect(book.findMatch(request(), context)).to.equal(null);
      expect(hashes(book.findMatch(request({ app: 2n, dataset: 2n, category: 2n }), context))).to.not.equal(null);
    });

    it("matches a request without dataset with no dataset order, and only app / workerpool orders open to that", () => {
      const restricted = app({ price: 1n, datasetRestrict: 1n });
      const open = app({ price: 2n });
      const poolForDataset = workerpool({ price: 1n, datasetRestrict: 1n });
      const pool = workerpool({ price: 5n });
      const match = bookOf(restricted, open, poolForDataset, pool, dataset()).findMatch(request({ dataset: 0n, datasetMaxPrice: 0n }), context);
      expect(hashes(match)).to.deep.equal({ app: open.hash, dataset: undefined, workerpool: pool.hash });
    });

    it("requires the workerpool to offer every tag bit asked by app, dataset and request", () => {
      const plain = workerpool({ price: 1n, tag: bitsTag(0n) });
      const tee = workerpool({ price: 5n, tag: TEE });
      const both = workerpool({ price: 9n, tag: bitsTag(3n) });
      const book = bookOf(plain, tee, both, app(), dataset());
      expect(book.findMatch(request(), context)!.workerpool.hash).to.equal(plain.hash);
      expect(book.findMatch(request({ tag: TEE }), context)!.workerpool.hash).to.equal(tee.hash);
      book.add(dataset({ price: 0n, tag: bitsTag(2n) }));
      // The cheaper dataset order asks bit 1: only `both` offers it, and that costs more overall.
      expect(book.findMatch(request({ tag: TEE }), context)!.workerpool.hash).to.equal(tee.hash);
      expect(book.findMatch(request({ tag: TEE, workerpoolMaxPrice: 20n, datasetMaxPrice: 0n }), context)!.workerpool.hash).to.equal(both.hash);
    });

    it("lets a dataset order restricted to a workerpool steer the choice of workerpool", () => {
      const cheapPool = workerpool({ workerpool: 1n, price: 1n });
      const cityPool = workerpool({ workerpool: 2n, price: 8n });
      const onlyCity = dataset({ price: 0n, workerpoolRestrict: 2n });
      const anyPool = dataset({ price: 9n });
      const book = bookOf(cheapPool, cityPool, onlyCity, app());
      expect(hashes(book.findMatch(request(), context))).to.deep.include({ dataset: onlyCity.hash, workerpool: cityPool.hash });
      book.add(anyPool);
      // 0 + 8 beats 9 + 1 by one: still the restricted dataset order with the city pool.
      expect(hashes(book.findMatch(request(), context))).to.deep.include({ dataset: onlyCity.hash, workerpool: cityPool.hash });
      book.updateRemaining(onlyCity.hash, 0n);
      expect(hashes(book.findMatch(request(), context))).to.deep.include({ dataset: anyPool.hash, workerpool: cheapPool.hash });
    });

    it("finds no match when app and dataset orders are restricted to different workerpools", () => {
      const book = bookOf(app({ workerpoolRestrict: 1n }), dataset({ workerpoolRestrict: 2n }), workerpool({ workerpool: 1n }), workerpool({ workerpool: 2n }));
      expect(book.findMatch(request(), context)).to.equal(null);
    });

    it("honours the request's workerpool and the orders' app, dataset and requester restrictions", () => {
      const pool1 = workerpool({ workerpool: 1n, price: 1n });
      const pool2 = workerpool({ workerpool: 2n, price: 2n });
      const book = bookOf(pool1, pool2, app(), dataset());
      expect(book.findMatch(request({ workerpool: 2n }), context)!.workerpool.hash).to.equal(pool2.hash);
      expect(book.findMatch(request({ workerpool: 3n }), context)).to.equal(null);

      const forOtherApp = workerpool({ price: 0n, appRestrict: 7n });
      const forOtherDataset = workerpool({ price: 0n, datasetRestrict: 7n });
      const forOtherRequester = workerpool({ price: 0n, requesterRestrict: OTHER_REQUESTER });
      book.add(forOtherApp);
      book.add(forOtherDataset);
      book.add(forOtherRequester);
      expect(book.findMatch(request(), context)!.workerpool.hash).to.equal(pool1.hash);
      expect(book.findMatch(request({ requester: OTHER_REQUESTER }), context)!.workerpool.hash).to.equal(forOtherRequester.hash);
      expect(book.findMatch(request({ app: 7n }), context)).to.equal(null); // no app order for app 7

      const appForOther = app({ price: 0n, requesterRestrict: OTHER_REQUESTER });
      const datasetForOtherApp = dataset({ price: 0n, appRestrict: 9n });
      book.add(appForOther);
      book.add(datasetForOtherApp);
      const mine = book.findMatch(request({ requester: REQUESTER }), context)!;
      expect(mine.app.hash).to.not.equal(appForOther.hash);
      expect(mine.dataset!.hash).to.not.equal(datasetForOtherApp.hash);
    });

    it("asks for trust: no match without reputations, the trusted pool with them", () => {
      const untrusted = workerpool({ workerpool: 1n, price: 1n });
      const trusted = workerpool({ workerpool: 2n, price: 5n });
      const book = bookOf(untrusted, trusted, app(), dataset());
      const wanting = request({ trust: 6000n });
      expect(book.findMatch(wanting, context)).to.equal(null);
      const scores = new Map([[1n, 5000n], [2n, 6000n]]);
      const trustOf = (pool: bigint) => scores.get(pool) ?? 0n;
      expect(book.findMatch(wanting, { now: NOW, trustOf })!.workerpool.hash).to.equal(trusted.hash);
      expect(book.findMatch(request(), { now: NOW, trustOf })!.workerpool.hash).to.equal(untrusted.hash);
    });

    it("treats expiry as inclusive, for offers and for the request", () => {
      const book = bookOf(app({ expiry: NOW }), dataset(), workerpool());
      expect(book.findMatch(request({ expiry: NOW }), { now: NOW })).to.not.equal(null);
      expect(book.findMatch(request({ expiry: NOW + 5n }), { now: NOW + 1n })).to.equal(null);
      expect(book.findMatch(request({ expiry: NOW }), { now: NOW + 1n })).to.equal(null);
    });

    it("finds nothing for a request that is used up, has no beneficiary, or whose offers are used up", () => {
      const a = app();
      const book = bookOf(a, dataset(), workerpool());
      expect(book.findMatch({ ...request(), remaining: 0n }, context)).to.equal(null);
      expect(book.findMatch(request({ beneficiary: `0x${"0".repeat(40)}` }), context)).to.equal(null);
      book.updateRemaining(a.hash, 0n);
      expect(book.findMatch(request(), context)).to.equal(null);
    });
  });

  describe("bookkeeping", () => {
    it("counts, replaces, updates and removes orders without touching the caller's objects", () => {
      const a = app({ volume: 10n });
      const r1 = request({}, 20);
      const r2 = request({}, 10);
      const book = bookOf(a, r1, r2, workerpool());
      expect(book.size).to.equal(4);
      book.add(a);
      expect(book.size).to.equal(4);
      book.updateRemaining(a.hash, 3n);
      expect(book.get(a.hash)!.remaining).to.equal(3n);
      expect(a.remaining).to.equal(10n);
      expect(book.openRequests().map((r) => r.hash)).to.deep.equal([r2.hash, r1.hash]);
      expect(book.remove(r2.hash)).to.equal(true);
      expect(book.remove(r2.hash)).to.equal(false);
      book.updateRemaining(a.hash.toUpperCase().replace("0X", "0x"), 0n);
      expect(book.has(a.hash)).to.equal(false);
      expect(book.size).to.equal(2);
      book.add({ ...app(), remaining: 0n });
      expect(book.size).to.equal(2);
    });

    it("prunes expired orders", () => {
      const stale = workerpool({ expiry: NOW - 1n });
      const fresh = workerpool({ expiry: NOW });
      const book = bookOf(stale, fresh);
      expect(book.pruneExpired(NOW)).to.deep.equal([stale.hash]);
      expect(book.has(fresh.hash)).to.equal(true);
      expect(book.size).to.equal(1);
    });
  });
});
