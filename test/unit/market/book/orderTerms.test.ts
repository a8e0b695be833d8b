// The stake the market checks a workerpool can cover: the contract's ceil(price x ratio / 10000).
import { expect } from "chai";
import fc from "fast-check";
import { stakePerTask } from "../../../../src/market/book/orderTerms.ts";

describe("stakePerTask", () => {
  it("rounds up as matchOrders does, so any priced task at a non-zero ratio stakes something", () => {
    expect(stakePerTask(1n, 1n)).to.equal(1n);
    expect(stakePerTask(37n, 2500n)).to.equal(10n);
    expect(stakePerTask(10n, 3000n)).to.equal(3n);
    expect(stakePerTask(0n, 10_000n)).to.equal(0n);
    expect(stakePerTask(1_000n, 0n)).to.equal(0n);
  });

  it("is the smallest amount not below price x ratio / 10000", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10_000n }), (price, ratio) => {
        const stake = stakePerTask(price, ratio);
        expect(stake * 10_000n >= price * ratio).to.equal(true);
        expect(stake === 0n || (stake - 1n) * 10_000n < price * ratio).to.equal(true);
      }),
    );
  });
});
