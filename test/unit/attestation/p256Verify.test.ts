import { expect } from "chai";
import { p256 } from "@noble/curves/nist.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { verifyP256 } from "../../../src/attestation/p256Verify.ts";

describe("verifyP256", () => {
  const secretKey = p256.utils.randomSecretKey();
  const message = utf8ToBytes("header and report body");
  const signature = p256.sign(message, secretKey);

  it("accepts a signature under the compressed or uncompressed public key", () => {
    expect(verifyP256(signature, message, p256.getPublicKey(secretKey, true))).to.equal(true);
    expect(verifyP256(signature, message, p256.getPublicKey(secretKey, false))).to.equal(true);
  });

  it("rejects a signature over another message or by another key", () => {
    expect(verifyP256(signature, utf8ToBytes("other"), p256.getPublicKey(secretKey, true))).to.equal(false);
    const otherKey = p256.getPublicKey(p256.utils.randomSecretKey(), true);
    expect(verifyP256(signature, message, otherKey)).to.equal(false);
  });

  it("rejects the high-s twin of a valid signature, so each message has one valid signature", () => {
    const s = bytesToNumberBE(signature.subarray(32));
    const highS = Uint8Array.of(...signature.subarray(0, 32), ...numberToBytesBE(p256.Point.Fn.ORDER - s, 32));
    expect(verifyP256(highS, message, p256.getPublicKey(secretKey, true))).to.equal(false);
  });

  it("rejects keys and signatures of the wrong length instead of throwing", () => {
    expect(verifyP256(signature, message, new Uint8Array(64))).to.equal(false);
    expect(verifyP256(signature.subarray(1), message, p256.getPublicKey(secretKey, true))).to.equal(false);
    expect(verifyP256(signature, message, new Uint8Array(33))).to.equal(false);
  });
});
