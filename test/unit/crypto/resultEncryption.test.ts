// Specification of result encryption to a requester's X25519 key: only the matching private key
// opens an envelope, and any change to the envelope is detected.
import { expect } from "chai";
import fc from "fast-check";
import { randomBytes } from "node:crypto";
import {
  ATTESTED_RESULT_FORMAT_VERSION,
  MAX_RESULT_HEADER_BYTES,
  decryptResult,
  encryptResult,
  generateResultKeyPair,
  parseResultHeader,
  parseResultPublicKey,
  resultPublicKeyFromPrivate,
  resultPublicKeyToHex,
} from "../../../src/crypto/index.ts";
import { expectCryptoErrorSync, flipBit } from "./cryptoTestHelpers.ts";

const HEADER_BYTES = 49;
const TAG_BYTES = 16;

describe("generateResultKeyPair", () => {
  it("makes a 32-byte private key and its 32-byte public key", () => {
    const { privateKey, publicKey } = generateResultKeyPair();
    expect(privateKey.length).to.equal(32);
    expect(publicKey.length).to.equal(32);
    expect(resultPublicKeyToHex(resultPublicKeyFromPrivate(privateKey))).to.equal(resultPublicKeyToHex(publicKey));
  });

  it("exchanges public keys as 0x-hex of 32 bytes", () => {
    const { publicKey } = generateResultKeyPair();
    const hex = resultPublicKeyToHex(publicKey);
    expect(hex).to.match(/^0x[0-9a-f]{64}$/);
    expect(Buffer.from(parseResultPublicKey(hex)).equals(publicKey)).to.equal(true);
  });

  it("rejects a public key that is not 0x + 64 hex digits as BAD_RESULT_KEY", () => {
    const hex = resultPublicKeyToHex(generateResultKeyPair().publicKey);
    expectCryptoErrorSync(() => parseResultPublicKey(hex.slice(0, -2)), "BAD_RESULT_KEY");
    expectCryptoErrorSync(() => parseResultPublicKey(hex.slice(2)), "BAD_RESULT_KEY");
    expectCryptoErrorSync(() => parseResultPublicKey(`${hex.slice(0, -1)}g`), "BAD_RESULT_KEY");
  });
});

describe("encryptResult / decryptResult", () => {
  const recipient = generateResultKeyPair();
  const plaintext = Buffer.from('{"prediction":"traffic jam on Main St at 17:00"}');

  it("lets the recipient's private key decrypt", () => {
    const envelope = encryptResult(plaintext, recipient.publicKey);
    expect(Buffer.from(decryptResult(envelope, recipient.privateKey)).equals(plaintext)).to.equal(true);
  });

  it("accepts the recipient's public key in its 0x-hex form", () => {
    const envelope = encryptResult(plaintext, resultPublicKeyToHex(recipient.publicKey));
    expect(Buffer.from(decryptResult(envelope, recipient.privateKey)).equals(plaintext)).to.equal(true);
  });

  it("round-trips an empty result", () => {
    const envelope = encryptResult(new Uint8Array(0), recipient.publicKey);
    expect(envelope.length).to.equal(HEADER_BYTES + TAG_BYTES);
    expect(decryptResult(envelope, recipient.privateKey).length).to.equal(0);
  });

  it("writes magic CTMR, version 1, a fresh ephemeral key, a nonce, the ciphertext and a tag", () => {
    const first = encryptResult(plaintext, recipient.publicKey);
    const second = encryptResult(plaintext, recipient.publicKey);
    expect(Buffer.from(first.subarray(0, 4)).toString("ascii")).to.equal("CTMR");
    expect(first[4]).to.equal(1);
    expect(first.length).to.equal(HEADER_BYTES + plaintext.length + TAG_BYTES);
    expect(Buffer.from(first.subarray(5, 37)).equals(second.subarray(5, 37))).to.equal(false);
  });

  it("writes version 2 naming the attestation CID in clear when given one, authenticated like the rest of the header", () => {
    const cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    const envelope = encryptResult(plaintext, recipient.publicKey, { attestationCid: cid });
    expect(envelope[4]).to.equal(ATTESTED_RESULT_FORMAT_VERSION);
    expect(envelope[HEADER_BYTES]).to.equal(cid.length);
    expect(envelope.length).to.equal(HEADER_BYTES + 1 + cid.length + plaintext.length + TAG_BYTES);
    expect(parseResultHeader(envelope.subarray(0, MAX_RESULT_HEADER_BYTES)).attestationCid).to.equal(cid);
    expect(parseResultHeader(encryptResult(plaintext, recipient.publicKey)).attestationCid).to.equal(undefined);
    expect(Buffer.from(decryptResult(envelope, recipient.privateKey)).equals(plaintext)).to.equal(true);
    const renamed = Uint8Array.from(envelope);
    renamed[HEADER_BYTES + 5] = renamed[HEADER_BYTES + 5] === 0x61 ? 0x62 : 0x61;
    expectCryptoErrorSync(() => decryptResult(renamed, recipient.privateKey), "RESULT_DECRYPT_FAILED");
    expectCryptoErrorSync(() => encryptResult(plaintext, recipient.publicKey, { attestationCid: "not a cid/" }), "BAD_RESULT_ENVELOPE");
    expectCryptoErrorSync(() => parseResultHeader(envelope.subarray(0, HEADER_BYTES + 10)), "BAD_RESULT_ENVELOPE");
  });

  it("refuses every other private key with RESULT_DECRYPT_FAILED", () => {
    const envelope = encryptResult(plaintext, recipient.publicKey);
    const stranger = generateResultKeyPair();
    expectCryptoErrorSync(() => decryptResult(envelope, stranger.privateKey), "RESULT_DECRYPT_FAILED");
  });

  it("detects a change to any single bit of the envelope", () => {
    const envelope = encryptResult(plaintext, recipient.publicKey);
    // Bytes 0..4 (magic, version) are covered by the BAD_RESULT_ENVELOPE case below.
    const afterVersion = fc.integer({ min: 5, max: envelope.length - 1 });
    fc.assert(
      fc.property(afterVersion, fc.integer({ min: 0, max: 7 }), (index, bit) => {
        const tampered = Uint8Array.from(envelope);
        tampered[index] = (tampered[index] ?? 0) ^ (1 << bit);
        expectCryptoErrorSync(() => decryptResult(tampered, recipient.privateKey), "RESULT_DECRYPT_FAILED");
      }),
      { numRuns: 100 },
    );
  });

  it("rejects a malformed envelope as BAD_RESULT_ENVELOPE", () => {
    const envelope = encryptResult(plaintext, recipient.publicKey);
    const futureVersion = Uint8Array.from(envelope);
    futureVersion[4] = 3;
    expectCryptoErrorSync(() => decryptResult(flipBit(envelope, 0), recipient.privateKey), "BAD_RESULT_ENVELOPE");
    expectCryptoErrorSync(() => decryptResult(futureVersion, recipient.privateKey), "BAD_RESULT_ENVELOPE");
    expectCryptoErrorSync(() => decryptResult(envelope.subarray(0, 60), recipient.privateKey), "BAD_RESULT_ENVELOPE");
  });

  it("refuses a low-order recipient public key with BAD_RESULT_KEY", () => {
    expectCryptoErrorSync(() => encryptResult(plaintext, new Uint8Array(32)), "BAD_RESULT_KEY");
  });

  it("refuses keys that are not 32 bytes with BAD_RESULT_KEY", () => {
    const envelope = encryptResult(plaintext, recipient.publicKey);
    expectCryptoErrorSync(() => encryptResult(plaintext, recipient.publicKey.subarray(1)), "BAD_RESULT_KEY");
    expectCryptoErrorSync(() => decryptResult(envelope, randomBytes(31)), "BAD_RESULT_KEY");
  });

  it("round-trips any byte array (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const envelope = encryptResult(bytes, recipient.publicKey);
        expect(Buffer.from(decryptResult(envelope, recipient.privateKey)).equals(bytes)).to.equal(true);
      }),
      { numRuns: 100 },
    );
  });
});
