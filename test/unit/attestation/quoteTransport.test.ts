import { expect } from "chai";
import {
  AttestationError,
  quoteFromBase64,
  quoteFromHex,
  quoteToBase64,
  quoteToHex,
} from "../../../src/attestation/index.ts";
import { createDevnet, createEnclaveAddress, freshQuote } from "./attestationFixture.ts";

describe("quote transport forms", () => {
  const { quote } = freshQuote(createDevnet().platform, createEnclaveAddress());

  it("round-trips a quote through 0x-hex", () => {
    const text = quoteToHex(quote);
    expect(text).to.match(/^0x[0-9a-f]{1792}$/);
    expect(quoteFromHex(text)).to.deep.equal(quote);
  });

  it("round-trips a quote through base64", () => {
    expect(quoteFromBase64(quoteToBase64(quote))).to.deep.equal(quote);
  });

  it("refuses text that is not hex or not canonical base64 with MALFORMED_QUOTE", () => {
    const base64 = quoteToBase64(quote);
    for (const decode of [
      () => quoteFromHex("0x123"),
      () => quoteFromHex("0xzz"),
      () => quoteFromBase64(`${base64}A`),
      () => quoteFromBase64(base64.replace(/=*$/, "")),
      () => quoteFromBase64("AB=C"),
      () => quoteFromBase64("AB=="),
    ]) {
      expect(decode).to.throw(AttestationError).with.property("code", "MALFORMED_QUOTE");
    }
  });
});
