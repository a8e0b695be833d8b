// Token amounts for people: base units in whole tokens, thousands grouped, never rounded, with the
// token's symbol; checked against ethers' formatUnits on arbitrary values.
import { expect } from "chai";
import fc from "fast-check";
import { formatUnits } from "ethers";
import { formatTokenAmount, tokenQuantity } from "../../../src/core/tokenAmount.ts";

describe("tokenQuantity", () => {
  it("writes base units of an 18-decimal token as whole tokens, thousands grouped", () => {
    expect(tokenQuantity("0", 18)).to.equal("0");
    expect(tokenQuantity("1", 18)).to.equal("0.000000000000000001");
    expect(tokenQuantity("1500000000000000000", 18)).to.equal("1.5");
    expect(tokenQuantity(1_000_000n * 10n ** 18n, 18)).to.equal("1,000,000");
    expect(tokenQuantity("1234567000000000000000001", 18)).to.equal("1,234,567.000000000000000001");
    expect(tokenQuantity(-25n, 1)).to.equal("-2.5");
    expect(tokenQuantity(1234n, 0)).to.equal("1,234");
  });

  it("is formatUnits with the grouping and the trailing zeros taken out, for any amount and decimals", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.integer({ min: 0, max: 36 }), (value, decimals) => {
        const expected = formatUnits(value, decimals).replace(/\.0$/, "");
        expect(tokenQuantity(value, decimals).replace(/,/g, "")).to.equal(expected);
      }),
    );
  });
});

describe("formatTokenAmount", () => {
  it("names the token after the quantity", () => {
    expect(formatTokenAmount("3000000000000000000", { symbol: "CTD", decimals: 18 })).to.equal("3 CTD");
  });
});
