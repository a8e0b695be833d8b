import { expect } from "chai";
import fc from "fast-check";
import { AbiCoder, Interface, getAddress, hexlify } from "ethers";
import { decodeAddress, decodeBool, decodeUint, selectorOf, wordCallData } from "../../../src/chain/wordCalls.ts";

const iface = new Interface([
  "function consumed(bytes32 hash) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function isTaskFinalized(bytes32 dealId, uint256 index) view returns (bool)",
  "function approvedBy(bytes32 hash) view returns (address)",
]);
const coder = AbiCoder.defaultAbiCoder();
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((value) => hexlify(value));
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((value) => getAddress(hexlify(value)));
const uint256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });

describe("word calls", () => {
  it("encode calldata exactly as the ABI coder does", () => {
    fc.assert(
      fc.property(bytes32, address, uint256, (hash, account, index) => {
        expect(wordCallData(selectorOf(iface, "consumed"), hash)).to.equal(iface.encodeFunctionData("consumed", [hash]));
        expect(wordCallData(selectorOf(iface, "balanceOf"), account)).to.equal(iface.encodeFunctionData("balanceOf", [account]));
        expect(wordCallData(selectorOf(iface, "isTaskFinalized"), hash, index)).to.equal(iface.encodeFunctionData("isTaskFinalized", [hash, index]));
      }),
      { numRuns: 100 },
    );
  });

  it("decode single words exactly as the ABI coder does", () => {
    fc.assert(
      fc.property(uint256, address, fc.boolean(), (value, account, flag) => {
        expect(decodeUint(coder.encode(["uint256"], [value]))).to.equal(value);
        expect(decodeAddress(coder.encode(["address"], [account]))).to.equal(account);
        expect(decodeBool(coder.encode(["bool"], [flag]))).to.equal(flag);
      }),
      { numRuns: 100 },
    );
  });

  it("refuses an empty answer (no contract there), a short one, and words out of their type", () => {
    expect(() => decodeUint("0x")).to.throw(TypeError);
    expect(() => decodeUint(`0x${"00".repeat(31)}`)).to.throw(TypeError);
    expect(() => decodeAddress(`0x${"ff".repeat(32)}`)).to.throw(TypeError);
    expect(() => decodeBool(coder.encode(["uint256"], [2n]))).to.throw(TypeError);
    expect(() => wordCallData("0x12345678", -1n)).to.throw(RangeError);
    expect(() => wordCallData("0x12345678", `0x${"00".repeat(33)}`)).to.throw(TypeError);
    expect(() => selectorOf(iface, "missing")).to.throw();
  });
});
