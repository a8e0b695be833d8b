// Specifies how big integers cross the database boundary: uint256 as bigint through numeric(78,0)
// text, int8 as a safe JS number, and out-of-range values refused.
import { expect } from "chai";
import fc from "fast-check";
import { int8Transformer, PersistenceError, uint256Transformer } from "../../../src/persistence/index.ts";

const MAX_UINT256 = (1n << 256n) - 1n;

describe("uint256Transformer", () => {
  it("round-trips every uint256 through its decimal text", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT256 }), (value) => {
        const stored = uint256Transformer.to(value) as string;
        expect(stored).to.match(/^\d+$/);
        expect(uint256Transformer.from(stored)).to.equal(value);
      }),
    );
  });

  it("refuses values outside 0..2^256-1 and passes null through", () => {
    for (const value of [-1n, MAX_UINT256 + 1n]) {
      expect(() => uint256Transformer.to(value)).to.throw(PersistenceError, "not a uint256");
    }
    expect(uint256Transformer.to(null)).to.equal(null);
    expect(uint256Transformer.from(null)).to.equal(null);
  });
});

describe("int8Transformer", () => {
  it("reads int8 text as a number", () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (value) => {
        expect(int8Transformer.from(String(value))).to.equal(value);
      }),
    );
  });

  it("refuses int8 values beyond Number.MAX_SAFE_INTEGER", () => {
    expect(() => int8Transformer.from("9007199254740993")).to.throw(PersistenceError, "does not fit");
  });
});
