import { expect } from "chai";
import fc from "fast-check";
import { AbiCoder, hexlify, keccak256 } from "ethers";
import { dealIdOf, taskIdOf } from "../../../../src/wire/eip712/index.ts";

const coder = AbiCoder.defaultAbiCoder();
const word = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => hexlify(bytes));
const index = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }));

describe("deal and task ids", () => {
  it("are keccak256(abi.encode(bytes32, uint256)), as the contracts derive them", () => {
    fc.assert(
      fc.property(word, index, (hash, n) => {
        const expected = keccak256(coder.encode(["bytes32", "uint256"], [hash, n]));
        expect(dealIdOf(hash, n)).to.equal(expected);
        expect(taskIdOf(hash, n)).to.equal(expected);
        expect(taskIdOf(hash.toUpperCase().replace("0X", "0x"), n)).to.equal(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a word that is not 32 bytes and an index outside uint256", () => {
    expect(() => taskIdOf("0x1234", 0n)).to.throw(TypeError);
    expect(() => taskIdOf(`0x${"00".repeat(32)}`, -1n)).to.throw(RangeError);
    expect(() => taskIdOf(`0x${"00".repeat(32)}`, 1n << 256n)).to.throw(RangeError);
  });
});
