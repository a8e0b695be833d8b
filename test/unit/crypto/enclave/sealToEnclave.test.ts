// Specification of sealing secrets to an enclave's secp256k1 key: only the matching private key
// opens an envelope, any change is detected, and keys are parsed strictly.
import { expect } from "chai";
import fc from "fast-check";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { createDecipheriv, createECDH } from "node:crypto";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { Wallet } from "ethers";
import {
  EnclaveCryptoError,
  enclaveAddressOf,
  enclavePublicKeyForms,
  enclavePublicKeyOf,
  enclavePublicKeyToHex,
  openAsEnclave,
  parseEnclavePublicKey,
  parseSealedEnvelope,
  sealToEnclave,
  SEALED_HEADER_BYTES,
  SEALED_OVERHEAD_BYTES,
} from "../../../../src/crypto/enclave/index.ts";
import { thrownBy } from "../../../helpers/expectFailure.ts";

function flipBit(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] ^= 1 << bit;
  return copy;
}

describe("enclave keys", () => {
  const wallet = Wallet.createRandom();

  it("derives from a private key the public key and the same address as an Ethereum wallet", () => {
    const publicKey = enclavePublicKeyOf(wallet.privateKey);
    expect(publicKey.length).to.equal(65);
    expect(publicKey[0]).to.equal(4);
    expect(enclavePublicKeyToHex(publicKey)).to.equal(wallet.signingKey.publicKey);
    expect(enclaveAddressOf(publicKey)).to.equal(wallet.address);
    expect(enclaveAddressOf(wallet.signingKey.compressedPublicKey)).to.equal(wallet.address);
  });

  it("refuses public keys of the wrong length, off the curve or not hex as BAD_ENCLAVE_KEY", () => {
    const hex = wallet.signingKey.publicKey;
    thrownBy(EnclaveCryptoError, () => parseEnclavePublicKey(hex.slice(0, -2)), "BAD_ENCLAVE_KEY");
    thrownBy(EnclaveCryptoError, () => parseEnclavePublicKey(`${hex.slice(0, -1)}g`), "BAD_ENCLAVE_KEY");
    thrownBy(EnclaveCryptoError, () => parseEnclavePublicKey(`0x04${"00".repeat(64)}`), "BAD_ENCLAVE_KEY");
    const offCurve = flipBit(enclavePublicKeyOf(wallet.privateKey), 64);
    thrownBy(EnclaveCryptoError, () => parseEnclavePublicKey(offCurve), "BAD_ENCLAVE_KEY");
  });

  it("gives the same forms through libsecp256k1 as through the point parser, for any key", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.utils.isValidSecretKey(k)), (secretKey) => {
        const point = secp256k1.Point.fromBytes(secp256k1.getPublicKey(secretKey, false));
        for (const input of [point.toBytes(false), point.toBytes(true)]) {
          const forms = enclavePublicKeyForms(input);
          expect(Buffer.from(forms.uncompressed).toString("hex")).to.equal(Buffer.from(point.toBytes(false)).toString("hex"));
          expect(Buffer.from(forms.compressed).toString("hex")).to.equal(Buffer.from(point.toBytes(true)).toString("hex"));
        }
      }),
      { numRuns: 50 },
    );
  });

  it("refuses through libsecp256k1 every public key the point parser refuses", () => {
    const hex = wallet.signingKey.publicKey;
    const offCurve = flipBit(enclavePublicKeyOf(wallet.privateKey), 64);
    const wrongPrefix = Uint8Array.from(enclavePublicKeyOf(wallet.privateKey));
    wrongPrefix[0] = 5;
    for (const bad of [hex.slice(0, -2), `${hex.slice(0, -1)}g`, `0x04${"00".repeat(64)}`, offCurve, wrongPrefix, new Uint8Array(33)]) {
      thrownBy(EnclaveCryptoError, () => parseEnclavePublicKey(bad), "BAD_ENCLAVE_KEY");
      thrownBy(EnclaveCryptoError, () => enclavePublicKeyForms(bad), "BAD_ENCLAVE_KEY");
    }
  });

  it("refuses private keys that are not a secp256k1 scalar as BAD_ENCLAVE_KEY", () => {
    thrownBy(EnclaveCryptoError, () => enclavePublicKeyOf(new Uint8Array(32)), "BAD_ENCLAVE_KEY");
    thrownBy(EnclaveCryptoError, () => enclavePublicKeyOf(new Uint8Array(31).fill(1)), "BAD_ENCLAVE_KEY");
    thrownBy(EnclaveCryptoError, () => enclavePublicKeyOf(`0x${"ff".repeat(32)}`), "BAD_ENCLAVE_KEY");
  });
});

describe("sealToEnclave / openAsEnclave", () => {
  const enclave = Wallet.createRandom();
  const plaintext = new TextEncoder().encode("dataset key 0123456789abcdef0123");

  it("lets the enclave's private key open what was sealed to its public key", () => {
    const sealed = sealToEnclave(plaintext, enclave.signingKey.publicKey);
    expect(Buffer.from(openAsEnclave(sealed, enclave.privateKey)).equals(plaintext)).to.equal(true);
  });

  it("accepts the public key as bytes, uncompressed or compressed, and the private key as bytes", () => {
    const privateKey = Uint8Array.from(Buffer.from(enclave.privateKey.slice(2), "hex"));
    for (const publicKey of [enclavePublicKeyOf(privateKey), secp256k1.getPublicKey(privateKey, true)]) {
      const sealed = sealToEnclave(plaintext, publicKey);
      expect(Buffer.from(openAsEnclave(sealed, privateKey)).equals(plaintext)).to.equal(true);
    }
    expect(privateKey.some((byte) => byte !== 0)).to.equal(true, "the caller's key bytes are left intact");
  });

  it("writes magic CTES, version 1, a fresh ephemeral key, a nonce, the ciphertext and a tag", () => {
    const first = sealToEnclave(plaintext, enclave.signingKey.publicKey);
    const second = sealToEnclave(plaintext, enclave.signingKey.publicKey);
    expect(Buffer.from(first.subarray(0, 4)).toString("ascii")).to.equal("CTES");
    expect(first[4]).to.equal(1);
    expect(first.length).to.equal(plaintext.length + SEALED_OVERHEAD_BYTES);
    expect(Buffer.from(first.subarray(5, 38)).equals(second.subarray(5, 38))).to.equal(false);
    expect(Buffer.from(first.subarray(SEALED_HEADER_BYTES)).includes(Buffer.from(plaintext))).to.equal(false);
  });

  it("round-trips an empty secret", () => {
    const sealed = sealToEnclave(new Uint8Array(0), enclave.signingKey.publicKey);
    expect(sealed.length).to.equal(SEALED_OVERHEAD_BYTES);
    expect(openAsEnclave(sealed, enclave.privateKey).length).to.equal(0);
  });

  it("refuses every other private key with SEALED_OPEN_FAILED", () => {
    const sealed = sealToEnclave(plaintext, enclave.signingKey.publicKey);
    thrownBy(EnclaveCryptoError, () => openAsEnclave(sealed, Wallet.createRandom().privateKey), "SEALED_OPEN_FAILED");
  });

  it("uses standard secp256k1 ECDH: OpenSSL's shared secret for the same keys is the same x coordinate", () => {
    const ephemeral = secp256k1.utils.randomSecretKey();
    const recipient = enclavePublicKeyOf(enclave.privateKey);
    const openssl = createECDH("secp256k1");
    openssl.setPrivateKey(ephemeral);
    const noble = secp256k1.getSharedSecret(ephemeral, recipient, true).subarray(1);
    expect(Buffer.from(noble).equals(openssl.computeSecret(recipient))).to.equal(true);
  });

  it("follows the documented recipe: ECDH x, HKDF-SHA256 over ephemeral‖recipient, AES-256-GCM with the header as AAD", () => {
    // Opened here by an independent implementation (noble's ECDH and HKDF, OpenSSL's AES-GCM).
    const sealed = sealToEnclave(plaintext, enclave.signingKey.publicKey);
    const envelope = parseSealedEnvelope(sealed);
    const secretKey = hexToBytes(enclave.privateKey.slice(2));
    const recipient = secp256k1.getPublicKey(secretKey, true);
    const sharedX = secp256k1.getSharedSecret(secretKey, envelope.ephemeralPublicKey, true).subarray(1);
    const info = new TextEncoder().encode("continuum/enclave-seal/v1/secp256k1-hkdf-sha256-aes-256-gcm");
    const key = hkdf(sha256, sharedX, Uint8Array.from([...envelope.ephemeralPublicKey, ...recipient]), info, 32);
    const decipher = createDecipheriv("aes-256-gcm", key, envelope.nonce);
    decipher.setAAD(envelope.header);
    decipher.setAuthTag(envelope.sealed.tag);
    const opened = Buffer.concat([decipher.update(envelope.sealed.ciphertext), decipher.final()]);
    expect(opened.equals(Buffer.from(plaintext))).to.equal(true);
  });

  it("detects a change to any single bit after the version byte", () => {
    const sealed = sealToEnclave(plaintext, enclave.signingKey.publicKey);
    fc.assert(
      fc.property(fc.integer({ min: 5, max: sealed.length - 1 }), fc.integer({ min: 0, max: 7 }), (index, bit) => {
        const code = catchCode(() => openAsEnclave(flipBit(sealed, index, bit), enclave.privateKey));
        expect(code).to.equal("SEALED_OPEN_FAILED");
      }),
      { numRuns: 200 },
    );
  });

  it("refuses truncated envelopes, wrong magic and unknown versions as BAD_SEALED_FORMAT", () => {
    const sealed = sealToEnclave(plaintext, enclave.signingKey.publicKey);
    thrownBy(EnclaveCryptoError, () => openAsEnclave(sealed.subarray(0, SEALED_OVERHEAD_BYTES - 1), enclave.privateKey), "BAD_SEALED_FORMAT");
    thrownBy(EnclaveCryptoError, () => openAsEnclave(flipBit(sealed, 0), enclave.privateKey), "BAD_SEALED_FORMAT");
    const version2 = Uint8Array.from(sealed);
    version2[4] = 2;
    const error = thrownBy(EnclaveCryptoError, () => openAsEnclave(version2, enclave.privateKey), "BAD_SEALED_FORMAT");
    expect(error.details).to.deep.equal({ version: 2, supportedVersions: [1] });
  });

  it("never puts the plaintext or key material in an error", () => {
    const sealed = sealToEnclave(plaintext, enclave.signingKey.publicKey);
    const error = thrownBy(EnclaveCryptoError, () => openAsEnclave(flipBit(sealed, 60), enclave.privateKey), "SEALED_OPEN_FAILED");
    const text = JSON.stringify(error.toJSON()) + error.message;
    expect(text).not.to.include(enclave.privateKey.slice(2));
    expect(text).not.to.include(Buffer.from(plaintext).toString("hex"));
  });
});

function catchCode(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as EnclaveCryptoError).code;
  }
}
