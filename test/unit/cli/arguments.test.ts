// Command-line values are validated before any work starts, with a message saying what is expected.
import { expect } from "chai";
import { InvalidArgumentError } from "commander";
import {
  parseAddress,
  parseAmountText,
  parseAssetId,
  parseBytes32,
  parseCidText,
  parseScryptLogN,
} from "../../../src/cli/arguments.ts";

function rejects(parse: (value: string) => unknown, value: string): string {
  try {
    parse(value);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  return expect.fail(`${value} was accepted`);
}

describe("CLI argument parsers", () => {
  it("accepts decimal token amounts and refuses zero, negatives and garbage", () => {
    expect(parseAmountText("12.5")).to.equal("12.5");
    expect(parseAmountText(".5")).to.equal("0.5");
    expect(parseAmountText("100")).to.equal("100");
    for (const bad of ["0", "0.000", "-1", "1e18", "12,5", "", "1.2.3", "abc"]) rejects(parseAmountText, bad);
    expect(rejects(parseAmountText, "0")).to.include("more than zero");
  });

  it("accepts asset ids from 1", () => {
    expect(parseAssetId("1")).to.equal(1n);
    expect(parseAssetId("123456789012345678901234567890")).to.equal(123456789012345678901234567890n);
    for (const bad of ["0", "-1", "1.5", "0x1", "one"]) rejects(parseAssetId, bad);
  });

  it("accepts addresses and normalizes them to their checksummed form", () => {
    const checksummed = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    expect(parseAddress(checksummed.toLowerCase())).to.equal(checksummed);
    rejects(parseAddress, "0x1234");
    rejects(parseAddress, "0x70997970C51812dc3A010C7d01b50e0d17dc79c8"); // bad checksum casing
  });

  it("accepts a 32-byte checksum and an IPFS CID", () => {
    expect(parseBytes32(`0x${"AB".repeat(32)}`)).to.equal(`0x${"ab".repeat(32)}`);
    rejects(parseBytes32, `0x${"ab".repeat(31)}`);
    const cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    expect(parseCidText(cid)).to.equal(cid);
    rejects(parseCidText, "not-a-cid");
  });

  it("bounds the scrypt cost to what key files accept", () => {
    expect(parseScryptLogN("10")).to.equal(10);
    rejects(parseScryptLogN, "9");
    rejects(parseScryptLogN, "19");
  });
});
