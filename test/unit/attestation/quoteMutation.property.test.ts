import { expect } from "chai";
import fc from "fast-check";
import { QUOTE_LENGTH, verifyQuote } from "../../../src/attestation/index.ts";
import { createDevnet, createEnclaveAddress, freshQuote, strictPolicy } from "./attestationFixture.ts";

describe("verifyQuote under byte mutations", () => {
  const devnet = createDevnet();
  const enclaveAddress = createEnclaveAddress();
  const { quote } = freshQuote(devnet.platform, enclaveAddress);

  it("verifies the unmutated quote", () => {
    expect(verifyQuote(quote, strictPolicy(devnet, enclaveAddress)).ok).to.equal(true);
  });

  it("refuses every quote with one byte changed anywhere", () => {
    const mutation = fc.record({
      offset: fc.integer({ min: 0, max: QUOTE_LENGTH - 1 }),
      xor: fc.integer({ min: 1, max: 0xff }),
    });
    fc.assert(
      fc.property(mutation, ({ offset, xor }) => {
        const mutated = Uint8Array.from(quote);
        mutated[offset] ^= xor;
        expect(verifyQuote(mutated, strictPolicy(devnet, enclaveAddress)).ok).to.equal(false);
      }),
      { numRuns: 1000 },
    );
  });
});
