import { expect } from "chai";
import fc from "fast-check";
import { BoundedMap, BoundedSet } from "../../../src/core/bounded.ts";

describe("BoundedMap and BoundedSet", () => {
  it("keep the most recently inserted `capacity` keys, in insertion order, whatever is added", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 40 }), (capacity, keys) => {
        const map = new BoundedMap<number, string>(capacity);
        const set = new BoundedSet<number>(capacity);
        const model: number[] = [];
        for (const key of keys) {
          map.set(key, `v${key}`);
          set.add(key);
          if (!model.includes(key)) {
            if (model.length >= capacity) model.shift();
            model.push(key);
          }
        }
        expect([...map.keys()]).to.deep.equal(model);
        expect([...set]).to.deep.equal(model);
        for (const key of model) expect(map.get(key)).to.equal(`v${key}`);
      }),
    );
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new BoundedMap(0)).to.throw(RangeError);
    expect(() => new BoundedSet(1.5)).to.throw(RangeError);
  });
});
