import { expect } from "chai";
import fc from "fast-check";
import { MatchingBook } from "../../../src/matcher/index.ts";
import type { AnySignedOrder, SignedOrder } from "../../../src/wire/eip712/index.ts";
import { BENEFICIARY, NOW, OTHER_REQUESTER, REQUESTER, app, bitsTag, dataset, request, workerpool } from "./bookOrders.ts";
import { contractAccepts, referenceMatch, type Context } from "./referenceMatch.ts";

const ZERO = `0x${"0".repeat(40)}`;
/** Mostly `common`, sometimes one of `rare`: small books still meet every rule often. */
function mostly<T>(common: T, ...rare: T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(common) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });
}
/** Like `mostly`, for the request's own validity: each way of being unmatchable is rare. */
function rarely<T>(rare: T, common: T): fc.Arbitrary<T> {
  return fc.oneof({ weight: 12, arbitrary: fc.constant(common) }, { weight: 1, arbitrary: fc.constant(rare) });
}
const positiveId = (max: number) => fc.integer({ min: 1, max }).map(BigInt);
const restriction = (max: number) => mostly(0n, ...Array.from({ length: max }, (_, i) => BigInt(i + 1)));
const price = fc.integer({ min: 0, max: 6 }).map(BigInt);
const maxPrice = fc.integer({ min: 0, max: 12 }).map(BigInt);
const tag = mostly(bitsTag(0n), bitsTag(1n), bitsTag(2n), bitsTag(3n));
const poolTag = fc.constantFrom(bitsTag(0n), bitsTag(1n), bitsTag(2n), bitsTag(3n));
const requesterRestrict = mostly(ZERO, REQUESTER, OTHER_REQUESTER);
const expiry = mostly(NOW + 1n, NOW, NOW - 1n);
const remaining = mostly(2n, 0n, 1n);
const publishedAt = fc.integer({ min: 0, max: 4 });

const appOrder = fc
  .record({ app: positiveId(2), price, tag, datasetRestrict: restriction(2), workerpoolRestrict: restriction(3), requesterRestrict, expiry, remaining, publishedAt })
  .map(({ remaining, publishedAt, ...order }) => ({ ...app(order, publishedAt), remaining }) as AnySignedOrder);
const datasetOrder = fc
  .record({ dataset: positiveId(2), price, tag, appRestrict: restriction(2), workerpoolRestrict: restriction(3), requesterRestrict, expiry, remaining, publishedAt })
  .map(({ remaining, publishedAt, ...order }) => ({ ...dataset(order, publishedAt), remaining }) as AnySignedOrder);
const workerpoolOrder = fc
  .record({
    workerpool: positiveId(3), price, tag: poolTag, category: positiveId(2), appRestrict: restriction(2), datasetRestrict: restriction(2), requesterRestrict,
    expiry, remaining, publishedAt,
  })
  .map(({ remaining, publishedAt, ...order }) => ({ ...workerpool(order, publishedAt), remaining }) as AnySignedOrder);
const requestOrder = fc
  .record({
    app: fc.oneof(positiveId(2), rarely(0n, 1n)), appMaxPrice: maxPrice, dataset: fc.constantFrom(0n, 1n, 2n),
    datasetMaxPrice: maxPrice, workerpool: restriction(3), workerpoolMaxPrice: maxPrice,
    requester: mostly(REQUESTER, OTHER_REQUESTER), tag, category: positiveId(2), trust: mostly(0n, 4000n, 6000n),
    beneficiary: rarely(ZERO, BENEFICIARY), expiry: fc.oneof(rarely(NOW - 1n, NOW), fc.constant(NOW + 1n)),
    remaining: rarely(0n, 1n),
  })
  .map(({ remaining, ...order }) => ({ ...request(order), remaining }));
const trust = fc.option(fc.tuple(...[1, 2, 3].map(() => fc.constantFrom(3000n, 5000n, 7000n))), { nil: undefined, freq: 4 });

function contextOf(scores: bigint[] | undefined): Context {
  return { now: NOW, ...(scores ? { trustOf: (pool: bigint) => scores[Number(pool) - 1] ?? 0n } : {}) };
}

describe("MatchingBook.findMatch against a brute-force reference", () => {
  it("finds a match exactly when one exists, at the same total price, and the contract would accept it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(appOrder, datasetOrder, workerpoolOrder), { maxLength: 40, size: "max" }),
        fc.array(requestOrder, { minLength: 1, maxLength: 4 }),
        trust,
        (orders, requests, scores) => {
          const book = new MatchingBook();
          for (const order of orders) book.add(order);
          const context = contextOf(scores);
          for (const r of requests) {
            const expected = referenceMatch(orders, r, context);
            const found = book.findMatch(r, context);
            if (!expected) {
              expect(found).to.equal(null);
              continue;
            }
            expect(found, "a match exists").to.not.equal(null);
            const total = found!.app.order.price + (found!.dataset?.order.price ?? 0n) + found!.workerpool.order.price;
            expect(total).to.equal(expected.total);
            expect(contractAccepts(found!.app, found!.dataset, found!.workerpool, r, context)).to.equal(true);
            for (const order of [found!.app, found!.dataset, found!.workerpool]) if (order) expect(book.has(order.hash)).to.equal(true);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("stays exact after orders are consumed and removed", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(appOrder, datasetOrder, workerpoolOrder), { minLength: 1, maxLength: 40, size: "max" }),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom<"remove" | bigint>("remove", 0n, 1n, 3n)), { maxLength: 12 }),
        requestOrder,
        trust,
        (orders, changes, r, scores) => {
          const book = new MatchingBook();
          for (const order of orders) book.add(order);
          let current = orders.slice();
          for (const [index, change] of changes) {
            const target = current[index % current.length];
            if (!target) continue;
            if (change === "remove") {
              book.remove(target.hash);
              current = current.filter((order) => order !== target);
            } else {
              book.updateRemaining(target.hash, change);
              // An order that left the book (remaining 0) does not come back when updated again.
              const updated = { ...target, remaining: book.has(target.hash) ? change : 0n } as AnySignedOrder;
              current = current.map((order) => (order === target ? updated : order));
            }
          }
          const context = contextOf(scores);
          const expected = referenceMatch(current, r as SignedOrder<"request">, context);
          const found = book.findMatch(r, context);
          if (!expected) {
            expect(found).to.equal(null);
            return;
          }
          expect(found).to.not.equal(null);
          expect(found!.app.order.price + (found!.dataset?.order.price ?? 0n) + found!.workerpool.order.price).to.equal(expected.total);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
