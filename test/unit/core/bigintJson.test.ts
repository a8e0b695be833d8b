import { expect } from "chai";
import { toJson } from "../../../src/core/bigintJson.ts";

describe("toJson", () => {
  it("writes bigints, nested in objects and arrays, as decimal strings", () => {
    const text = toJson({ amount: 10n ** 30n, ids: [1n, 2n], nested: { index: 0n, label: "x", count: 3 } });
    expect(JSON.parse(text)).to.deep.equal({
      amount: "1000000000000000000000000000000",
      ids: ["1", "2"],
      nested: { index: "0", label: "x", count: 3 },
    });
  });

  it("keeps negative bigints exact beyond Number's safe range", () => {
    expect(toJson(-(2n ** 64n) - 1n)).to.equal('"-18446744073709551617"');
  });

  it("indents when asked and leaves other values as JSON.stringify would", () => {
    const plain = { a: [1, null, true], b: "text" };
    expect(toJson(plain)).to.equal(JSON.stringify(plain));
    expect(toJson(plain, 2)).to.equal(JSON.stringify(plain, null, 2));
    expect(toJson({ n: 1n }, 2)).to.equal('{\n  "n": "1"\n}');
  });
});
