// The CPU-only parts of the market benchmark at tiny sizes: the statistics, the seeded order mix
// and the match-latency measurement. Shapes and sanity only; no figure is asserted.
import { expect } from "chai";
import { median, percentile } from "../../../scripts/bench/statistics.ts";
import { SeededRandom } from "../../../scripts/bench/market/seededRandom.ts";
import { BOOK_NOW, BookMix } from "../../../scripts/bench/market/bookMix.ts";
import { measureMatchLatency } from "../../../scripts/bench/market/matchLatency.ts";

describe("market benchmark measures", () => {
  describe("statistics", () => {
    it("takes the median of odd and even counts", () => {
      expect(median([5, 1, 3])).to.equal(3);
      expect(median([4, 1, 3, 2])).to.equal(2.5);
    });

    it("takes nearest-rank percentiles", () => {
      const values = Array.from({ length: 100 }, (_, i) => 100 - i);
      expect(percentile(values, 50)).to.equal(50);
      expect(percentile(values, 99)).to.equal(99);
      expect(percentile(values, 100)).to.equal(100);
    });

    it("refuses empty inputs and percentiles outside (0, 100]", () => {
      expect(() => median([])).to.throw(RangeError);
      expect(() => percentile([], 50)).to.throw(RangeError);
      expect(() => percentile([1], 0)).to.throw(RangeError);
      expect(() => percentile([1], 101)).to.throw(RangeError);
    });
  });

  describe("BookMix", () => {
    it("draws the same orders from the same seed, with unique hashes and something remaining", () => {
      const draw = () => {
        const mix = new BookMix(new SeededRandom(7));
        return Array.from({ length: 300 }, () => mix.order());
      };
      const [first, second] = [draw(), draw()];
      expect(first.map((order) => order.hash)).to.deep.equal(second.map((order) => order.hash));
      expect(first.map((order) => order.order.salt)).to.deep.equal(second.map((order) => order.order.salt));
      expect(new Set(first.map((order) => order.hash)).size).to.equal(first.length);
      expect(first.every((order) => order.remaining > 0n && order.remaining <= order.order.volume)).to.equal(true);
      expect(new Set(first.map((order) => order.kind))).to.deep.equal(new Set(["app", "dataset", "workerpool", "request"]));
    });

    it("draws requests that can match: live, with a beneficiary and an app", () => {
      const mix = new BookMix(new SeededRandom(3));
      for (let i = 0; i < 50; i++) {
        const request = mix.request().order;
        expect(request.app > 0n && request.expiry >= BOOK_NOW && request.beneficiary === request.requester).to.equal(true);
      }
    });
  });

  describe("measureMatchLatency", () => {
    it("holds exactly the requested number of open orders and reports finite positive latencies", () => {
      const result = measureMatchLatency({ openOrders: 2_000, lookups: 300, seed: 11 });
      expect(result.openOrders).to.equal(2_000);
      expect(result.lookups).to.equal(300);
      for (const value of [result.matchP50Ms, result.matchP99Ms, result.matchMaxMs, result.buildMs]) {
        expect(Number.isFinite(value) && value > 0).to.equal(true);
      }
      expect(result.matchP50Ms).to.be.at.most(result.matchP99Ms);
      expect(result.matchP99Ms).to.be.at.most(result.matchMaxMs);
      expect(result.matchedShare).to.be.within(0, 1);
    });

    it("refuses an empty book or no lookups", () => {
      expect(() => measureMatchLatency({ openOrders: 0, lookups: 10, seed: 1 })).to.throw(RangeError);
      expect(() => measureMatchLatency({ openOrders: 10, lookups: 0, seed: 1 })).to.throw(RangeError);
    });
  });
});
