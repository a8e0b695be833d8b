import { expect } from "chai";
import { Wallet } from "ethers";
import { z } from "zod";
import { address, hexBytes, parseBody } from "../../../sms/http/fields.ts";
import { SmsError } from "../../../sms/SmsError.ts";
import { checksummedAddress } from "../../../src/wire/eip712/checksummedAddress.ts";

function refusal(schema: z.ZodType, value: unknown): string | undefined {
  try {
    parseBody(z.strictObject({ field: schema }), { field: value });
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(SmsError);
    return (error as SmsError).message;
  }
}

describe("SMS request fields", () => {
  const wallet = Wallet.createRandom();

  it("takes an address in lower case or with its checksum, and answers it checksummed", () => {
    for (const text of [wallet.address, wallet.address.toLowerCase(), `0x${wallet.address.slice(2).toUpperCase()}`]) {
      expect(parseBody(z.strictObject({ field: address }), { field: text }).field).to.equal(wallet.address);
    }
  });

  it("refuses a mixed-case address with a wrong checksum, a wrong length, or non-hex digits", () => {
    // One letter's case flipped: its checksum no longer matches (every address has a letter but
    // about one in a hundred million).
    const letter = wallet.address.slice(2).search(/[a-fA-F]/) + 2;
    const swap = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
    const flipped = wallet.address.slice(0, letter) + swap(wallet.address[letter]!) + wallet.address.slice(letter + 1);
    expect(checksummedAddress(flipped)).to.equal(undefined);
    for (const bad of [flipped, wallet.address.slice(0, 41), `${wallet.address}00`, `0xzz${wallet.address.slice(4)}`, 42]) {
      expect(refusal(address, bad), String(bad)).to.match(/field must be an address/);
    }
  });

  it("takes hex bytes of an even length within bounds, and refuses odd lengths, non-hex and out-of-bounds sizes", () => {
    const schema = hexBytes(1, 4);
    expect(Buffer.from(parseBody(z.strictObject({ field: schema }), { field: "0x0aFf" }).field).toString("hex")).to.equal("0aff");
    for (const bad of ["0x", "0xabc", "0x0g", "0x0102030405", "abcd", "0X0a"]) {
      expect(refusal(schema, bad), bad).to.match(/must be 0x-prefixed hex of 1 to 4 bytes/);
    }
  });
});
