import { expect } from "chai";
import fc from "fast-check";
import { p256 } from "@noble/curves/nist.js";
import { isP256Point } from "../../../src/attestation/attestationKeyEncoding.ts";

describe("isP256Point", () => {
  it("agrees with the curve library on keys and on altered keys, asked once or again", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => p256.utils.isValidSecretKey(k)), fc.nat(64), (secretKey, position) => {
        for (const compressed of [true, false]) {
          const key = p256.getPublicKey(secretKey, compressed);
          expect(isP256Point(key, compressed)).to.equal(true);
          expect(isP256Point(key, compressed), "remembered").to.equal(true);
          expect(isP256Point(key, !compressed), "the other form's length").to.equal(false);
          const altered = Uint8Array.from(key);
          altered[position % key.length] ^= 0x10;
          const expected = p256.utils.isValidPublicKey(altered, compressed);
          expect(isP256Point(altered, compressed)).to.equal(expected);
          expect(isP256Point(altered, compressed), "asked again").to.equal(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});
