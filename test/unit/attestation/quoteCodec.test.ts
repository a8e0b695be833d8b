import { expect } from "chai";
import fc from "fast-check";
import { p256 } from "@noble/curves/nist.js";
import {
  AttestationError,
  encodeQuote,
  parseQuote,
  QUOTE_LENGTH,
  type Quote,
} from "../../../src/attestation/index.ts";
import { toRawPublicKey } from "../../../src/attestation/attestationKeyEncoding.ts";
import { SIMULATED_QE_VENDOR_ID } from "../../../src/attestation/quote.ts";
import { thrownBy } from "../../helpers/expectFailure.ts";
import { createDevnet, createEnclaveAddress, freshQuote } from "./attestationFixture.ts";

function expectMalformed(bytes: Uint8Array, offset?: number): void {
  const error = thrownBy(AttestationError, () => parseQuote(bytes), "MALFORMED_QUOTE");
  if (offset !== undefined) expect(error.details).to.deep.equal({ offset });
}

/** A valid raw attestation key derived from `seed`, so fast-check can replay failing cases. */
function rawPublicKeyFromSeed(seed: Uint8Array): Uint8Array {
  return toRawPublicKey(p256.getPublicKey(p256.utils.randomSecretKey(seed), true));
}

function withByte(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[offset] = value;
  return copy;
}

describe("quote encoding", () => {
  const devnet = createDevnet();
  const { quote } = freshQuote(devnet.platform, createEnclaveAddress());

  it("encodes a quote in 896 bytes", () => {
    expect(quote.length).to.equal(QUOTE_LENGTH).and.to.equal(896);
  });

  it("re-encodes a parsed quote to the same bytes", () => {
    expect(encodeQuote(parseQuote(quote))).to.deep.equal(quote);
  });

  it("parses any well-formed field values back to the same quote", () => {
    const template = parseQuote(quote);
    const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
    const u16 = fc.integer({ min: 0, max: 0xffff });
    const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const quoteArbitrary = fc.record({
      header: fc.record({ qeSvn: u16, pceSvn: u16, userData: bytes(20) }),
      body: fc.record({
        cpuSvn: bytes(16),
        miscSelect: fc.integer({ min: 0, max: 0xffffffff }),
        attributes: fc.record({ flags: u64, xfrm: u64 }),
        measurement: bytes(32),
        signerMeasurement: bytes(32),
        productId: u16,
        securityVersion: u16,
        reportData: bytes(64),
      }),
      signature: bytes(64),
      attestationKey: bytes(48).map((seed) => rawPublicKeyFromSeed(seed)),
    });
    fc.assert(
      fc.property(quoteArbitrary, ({ header, body, signature, attestationKey }) => {
        const original: Quote = {
          ...template,
          header: { ...template.header, ...header },
          body,
          signature,
          attestationPublicKey: attestationKey,
        };
        expect(parseQuote(encodeQuote(original))).to.deep.equal(original);
      }),
      { numRuns: 50 },
    );
  });

  describe("parseQuote", () => {
    it("refuses every truncation with MALFORMED_QUOTE", () => {
      for (let length = 0; length < quote.length; length += 1) expectMalformed(quote.subarray(0, length));
    });

    it("refuses trailing bytes with MALFORMED_QUOTE", () => {
      expectMalformed(Uint8Array.of(...quote, 0), quote.length);
    });

    it("refuses an unsupported version, key type or TEE type, naming the field's offset", () => {
      expectMalformed(withByte(quote, 0, 4), 0);
      expectMalformed(withByte(quote, 2, 3), 2);
      expectMalformed(withByte(quote, 4, 0x81), 4);
    });

    it("refuses a quote from another quoting enclave vendor", () => {
      expectMalformed(withByte(quote, 12, SIMULATED_QE_VENDOR_ID[0] ^ 0xff), 12);
    });

    it("refuses non-zero reserved bytes in the report body", () => {
      for (const offset of [68, 144, 208, 308]) expectMalformed(withByte(quote, offset, 1), offset);
    });

    it("refuses a wrong signature data length, certification data type or size", () => {
      expectMalformed(withByte(quote, 432, 0), 432);
      expectMalformed(withByte(quote, 564, 5), 564);
      expectMalformed(withByte(quote, 566, 0), 566);
    });

    it("refuses an attestation key that is not a P-256 point", () => {
      expectMalformed(withByte(quote, 500 + 63, quote[500 + 63] ^ 0x01), 500);
    });

    it("refuses a certificate with an unknown version or usage", () => {
      expectMalformed(withByte(quote, 570, 2), 570);
      expectMalformed(withByte(quote, 571, 9), 571);
    });
  });
});
