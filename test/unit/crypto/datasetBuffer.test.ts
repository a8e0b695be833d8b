// Specification of in-memory dataset encryption: the version 1 format, round trips, and a typed
// error for every way an encrypted dataset can be wrong.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { decryptDataset, encryptDataset, sha256Hex, toHex } from "../../../src/crypto/index.ts";
import { expectCryptoErrorSync, flipBit } from "./cryptoTestHelpers.ts";

const HEADER_BYTES = 17;
const TAG_BYTES = 16;

describe("encryptDataset / decryptDataset", () => {
  it("round-trips a dataset under its fresh key", () => {
    const plaintext = randomBytes(10_000);
    const { encrypted, key } = encryptDataset(plaintext);
    expect(Buffer.from(decryptDataset(encrypted, key)).equals(plaintext)).to.equal(true);
  });

  it("round-trips an empty dataset", () => {
    const { encrypted, key } = encryptDataset(new Uint8Array(0));
    expect(encrypted.length).to.equal(HEADER_BYTES + TAG_BYTES);
    expect(decryptDataset(encrypted, key).length).to.equal(0);
  });

  it("writes magic CTMD, version 1, a nonce, the ciphertext and a trailing tag", () => {
    const plaintext = Buffer.from("city sensor readings");
    const { encrypted, size, checksum } = encryptDataset(plaintext);
    expect(Buffer.from(encrypted.subarray(0, 4)).toString("ascii")).to.equal("CTMD");
    expect(encrypted[4]).to.equal(1);
    expect(size).to.equal(HEADER_BYTES + plaintext.length + TAG_BYTES);
    expect(encrypted.length).to.equal(size);
    expect(checksum).to.equal(sha256Hex(encrypted));
    expect(checksum).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("draws a fresh 32-byte key and nonce for every dataset", () => {
    const plaintext = Buffer.from("same input");
    const first = encryptDataset(plaintext);
    const second = encryptDataset(plaintext);
    expect(first.key.length).to.equal(32);
    expect(toHex(first.key)).to.not.equal(toHex(second.key));
    expect(first.checksum).to.not.equal(second.checksum);
  });

  describe("rejects", () => {
    const plaintext = randomBytes(256);
    const { encrypted, key } = encryptDataset(plaintext);

    it("a flipped ciphertext byte as DATASET_TAMPERED", () => {
      expectCryptoErrorSync(() => decryptDataset(flipBit(encrypted, HEADER_BYTES + 100), key), "DATASET_TAMPERED");
    });

    it("a flipped tag byte as DATASET_TAMPERED", () => {
      expectCryptoErrorSync(() => decryptDataset(flipBit(encrypted, encrypted.length - 1), key), "DATASET_TAMPERED");
    });

    it("a flipped nonce byte as DATASET_TAMPERED", () => {
      expectCryptoErrorSync(() => decryptDataset(flipBit(encrypted, 8), key), "DATASET_TAMPERED");
    });

    it("a wrong key as DATASET_TAMPERED without revealing either key", () => {
      const error = expectCryptoErrorSync(() => decryptDataset(encrypted, randomBytes(32)), "DATASET_TAMPERED");
      expect(JSON.stringify(error.toJSON())).to.not.include(toHex(key).slice(2));
    });

    it("a file cut short inside the ciphertext as DATASET_TAMPERED", () => {
      expectCryptoErrorSync(() => decryptDataset(encrypted.subarray(0, encrypted.length - 1), key), "DATASET_TAMPERED");
    });

    it("a file shorter than header and tag as BAD_DATASET_FORMAT", () => {
      expectCryptoErrorSync(() => decryptDataset(encrypted.subarray(0, 20), key), "BAD_DATASET_FORMAT");
    });

    it("wrong magic bytes as BAD_DATASET_FORMAT", () => {
      expectCryptoErrorSync(() => decryptDataset(flipBit(encrypted, 0), key), "BAD_DATASET_FORMAT");
    });

    it("an unknown format version as BAD_DATASET_FORMAT naming the version", () => {
      const future = Uint8Array.from(encrypted);
      future[4] = 2;
      const error = expectCryptoErrorSync(() => decryptDataset(future, key), "BAD_DATASET_FORMAT");
      expect(error.details).to.deep.include({ version: 2 });
    });

    it("a key that is not 32 bytes as BAD_DATASET_KEY", () => {
      expectCryptoErrorSync(() => decryptDataset(encrypted, key.subarray(0, 16)), "BAD_DATASET_KEY");
    });
  });
});
