// Which X25519 public keys a result can be encrypted to: every point of small order is refused,
// whatever form the key comes in and however often it is asked about (verdicts are remembered
// by the key's bytes, so a remembered verdict must be the one a fresh agreement gives).
import { expect } from "chai";
import fc from "fast-check";
import { x25519 } from "@noble/curves/ed25519.js";
import { generateResultKeyPair, isUsableResultPublicKey, resultPublicKeyToHex } from "../../../src/crypto/index.ts";

/** u-coordinates (little-endian) of the points of order 1, 2, 4 and 8, and u = p - 1 and u = p. */
const SMALL_ORDER_KEYS = [
  `0x${"00".repeat(32)}`,
  `0x01${"00".repeat(31)}`,
  "0xe0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
  "0x5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
  `0xec${"ff".repeat(30)}7f`,
  `0xed${"ff".repeat(30)}7f`,
];

/** The verdict of one fresh agreement, with nothing remembered. */
function agreesFresh(publicKey: Uint8Array): boolean {
  try {
    x25519.getSharedSecret(new Uint8Array(32).fill(0x5a), publicKey);
    return true;
  } catch {
    return false;
  }
}

describe("isUsableResultPublicKey", () => {
  it("accepts a generated key as bytes, as hex in either case, every time it is asked", () => {
    const { publicKey } = generateResultKeyPair();
    const hex = resultPublicKeyToHex(publicKey);
    for (let i = 0; i < 3; i++) {
      expect(isUsableResultPublicKey(publicKey)).to.equal(true);
      expect(isUsableResultPublicKey(hex)).to.equal(true);
      expect(isUsableResultPublicKey(`0x${hex.slice(2).toUpperCase()}`)).to.equal(true);
    }
  });

  it("refuses the points of small order every time it is asked, as bytes or as hex", () => {
    for (const key of SMALL_ORDER_KEYS) {
      const bytes = Uint8Array.from(Buffer.from(key.slice(2), "hex"));
      for (let i = 0; i < 3; i++) {
        expect(isUsableResultPublicKey(key), key).to.equal(false);
        expect(isUsableResultPublicKey(bytes), key).to.equal(false);
      }
    }
  });

  it("refuses what is not 32 bytes", () => {
    for (const key of ["0x", "0x01", `0x${"42".repeat(33)}`, "not hex", new Uint8Array(31)]) {
      expect(isUsableResultPublicKey(key)).to.equal(false);
    }
  });

  it("gives, asked again, the verdict a fresh agreement gives", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        const fresh = agreesFresh(key);
        expect(isUsableResultPublicKey(key)).to.equal(fresh);
        expect(isUsableResultPublicKey(resultPublicKeyToHex(key))).to.equal(fresh);
      }),
      { numRuns: 200 },
    );
  });
});
