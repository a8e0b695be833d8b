import { expect } from "chai";
import { AttestationError, encodeQuote, parseQuote, verifyQuoteSignature } from "../../../src/attestation/index.ts";
import { createDevnet, createEnclaveAddress, freshQuote } from "./attestationFixture.ts";

describe("verifyQuoteSignature", () => {
  const parsed = parseQuote(freshQuote(createDevnet().platform, createEnclaveAddress()).quote);

  it("accepts the platform's signature over the header and report body", () => {
    expect(verifyQuoteSignature(parsed)).to.equal(true);
  });

  it("rejects the signature once a signed field changes", () => {
    expect(verifyQuoteSignature({ ...parsed, body: { ...parsed.body, securityVersion: 4 } })).to.equal(false);
    expect(verifyQuoteSignature({ ...parsed, header: { ...parsed.header, qeSvn: 2 } })).to.equal(false);
  });
});

describe("encodeQuote", () => {
  const parsed = parseQuote(freshQuote(createDevnet().platform, createEnclaveAddress()).quote);

  it("refuses field values that do not fit their width instead of wrapping them", () => {
    const tooLarge = { ...parsed, body: { ...parsed.body, securityVersion: 0x10000 } };
    expect(() => encodeQuote(tooLarge)).to.throw(AttestationError).with.property("code", "INVALID_ATTESTATION_INPUT");
  });
});
