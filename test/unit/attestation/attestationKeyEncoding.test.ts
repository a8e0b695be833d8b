import { expect } from "chai";
import fc from "fast-check";
import { p256 } from "@noble/curves/nist.js";
import {
  compressRawPublicKey,
  rawToSec1PublicKey,
  toRawPublicKey,
} from "../../../src/attestation/attestationKeyEncoding.ts";

describe("attestation key encoding", () => {
  const seed = fc.uint8Array({ minLength: 48, maxLength: 48 });

  it("converts a compressed key to the raw form and back, for either parity of y", () => {
    fc.assert(
      fc.property(seed, (bytes) => {
        const compressed = p256.getPublicKey(p256.utils.randomSecretKey(bytes), true);
        expect(compressRawPublicKey(toRawPublicKey(compressed))).to.deep.equal(compressed);
      }),
      { numRuns: 40 },
    );
  });

  it("gives the raw key the uncompressed SEC1 prefix", () => {
    const secretKey = p256.utils.randomSecretKey();
    const raw = toRawPublicKey(p256.getPublicKey(secretKey, true));
    expect(rawToSec1PublicKey(raw)).to.deep.equal(p256.getPublicKey(secretKey, false));
  });
});
