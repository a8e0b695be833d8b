// Specification of streamed dataset file encryption: round trips up to tens of megabytes, checksums
// matching the file, and failures that leave no plaintext file behind.
import { expect } from "chai";
import { randomBytes, randomFillSync } from "node:crypto";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  decryptDataset,
  decryptDatasetFile,
  encryptDataset,
  encryptDatasetFile,
  sha256File,
  type CryptoErrorCode,
} from "../../../src/crypto/index.ts";
import { expectCryptoError, flipBit, makeTempDir, removeTempDir } from "./cryptoTestHelpers.ts";

describe("encryptDatasetFile / decryptDatasetFile", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  async function roundTrip(plaintext: Uint8Array): Promise<Buffer> {
    await writeFile(join(dir, "plain"), plaintext);
    const { key } = await encryptDatasetFile(join(dir, "plain"), join(dir, "enc"));
    await decryptDatasetFile(join(dir, "enc"), join(dir, "out"), key);
    return readFile(join(dir, "out"));
  }

  it("round-trips a small file", async () => {
    const plaintext = randomBytes(1000);
    expect((await roundTrip(plaintext)).equals(plaintext)).to.equal(true);
  });

  it("round-trips an empty file", async () => {
    expect((await roundTrip(new Uint8Array(0))).length).to.equal(0);
  });

  it("round-trips a 20 MB file through the streamed path", async () => {
    const plaintext = randomFillSync(Buffer.alloc(20 * 1024 * 1024));
    expect((await roundTrip(plaintext)).equals(plaintext)).to.equal(true);
  });

  it("reports the sha256 checksum and size of the encrypted file", async () => {
    await writeFile(join(dir, "plain"), randomBytes(300_000));
    const { checksum, size, key } = await encryptDatasetFile(join(dir, "plain"), join(dir, "enc"));
    expect(key.length).to.equal(32);
    expect(checksum).to.equal(await sha256File(join(dir, "enc")));
    expect(size).to.equal((await stat(join(dir, "enc"))).size);
    expect(size).to.equal(300_000 + 17 + 16);
  });

  it("writes the same format as the in-memory codec, in both directions", async () => {
    const plaintext = randomBytes(70_000);
    await writeFile(join(dir, "plain"), plaintext);
    const fromFile = await encryptDatasetFile(join(dir, "plain"), join(dir, "enc"));
    const decrypted = decryptDataset(await readFile(join(dir, "enc")), fromFile.key);
    expect(Buffer.from(decrypted).equals(plaintext)).to.equal(true);

    const fromBuffer = encryptDataset(plaintext);
    await writeFile(join(dir, "enc2"), fromBuffer.encrypted);
    await decryptDatasetFile(join(dir, "enc2"), join(dir, "out"), fromBuffer.key);
    expect((await readFile(join(dir, "out"))).equals(plaintext)).to.equal(true);
  });

  it("writes decrypted plaintext with mode 0600", async function () {
    if (process.platform === "win32") this.skip();
    await roundTrip(randomBytes(10));
    expect((await stat(join(dir, "out"))).mode & 0o777).to.equal(0o600);
  });

  describe("on a corrupted or foreign file", () => {
    const plaintext = randomBytes(200_000);

    async function expectRejectedWithoutOutput(
      corrupt: (encrypted: Uint8Array) => Uint8Array,
      code: CryptoErrorCode,
      key?: Uint8Array,
    ): Promise<void> {
      await writeFile(join(dir, "plain"), plaintext);
      const encrypted = await encryptDatasetFile(join(dir, "plain"), join(dir, "enc"));
      await writeFile(join(dir, "bad"), corrupt(await readFile(join(dir, "enc"))));
      await expectCryptoError(decryptDatasetFile(join(dir, "bad"), join(dir, "out"), key ?? encrypted.key), code);
      expect((await readdir(dir)).sort()).to.deep.equal(["bad", "enc", "plain"]);
    }

    it("rejects a flipped ciphertext byte and leaves no output", async () => {
      await expectRejectedWithoutOutput((bytes) => flipBit(bytes, 150_000), "DATASET_TAMPERED");
    });

    it("rejects a flipped tag byte and leaves no output", async () => {
      await expectRejectedWithoutOutput((bytes) => flipBit(bytes, bytes.length - 3), "DATASET_TAMPERED");
    });

    it("rejects a wrong key and leaves no output", async () => {
      await expectRejectedWithoutOutput((bytes) => bytes, "DATASET_TAMPERED", randomBytes(32));
    });

    it("rejects a file truncated inside the ciphertext and leaves no output", async () => {
      await expectRejectedWithoutOutput((bytes) => bytes.subarray(0, 100_000), "DATASET_TAMPERED");
    });

    it("rejects a file shorter than header and tag", async () => {
      await expectRejectedWithoutOutput((bytes) => bytes.subarray(0, 30), "BAD_DATASET_FORMAT");
    });

    it("rejects an empty file", async () => {
      await expectRejectedWithoutOutput(() => new Uint8Array(0), "BAD_DATASET_FORMAT");
    });

    it("rejects wrong magic bytes", async () => {
      await expectRejectedWithoutOutput((bytes) => flipBit(bytes, 2), "BAD_DATASET_FORMAT");
    });

    it("rejects an unknown format version", async () => {
      await expectRejectedWithoutOutput((bytes) => {
        const copy = Uint8Array.from(bytes);
        copy[4] = 9;
        return copy;
      }, "BAD_DATASET_FORMAT");
    });

    it("leaves an existing output file untouched", async () => {
      await writeFile(join(dir, "plain"), plaintext);
      const { key } = await encryptDatasetFile(join(dir, "plain"), join(dir, "enc"));
      await writeFile(join(dir, "bad"), flipBit(await readFile(join(dir, "enc")), 50));
      await writeFile(join(dir, "out"), "previous result");
      await expectCryptoError(decryptDatasetFile(join(dir, "bad"), join(dir, "out"), key), "DATASET_TAMPERED");
      expect(await readFile(join(dir, "out"), "utf8")).to.equal("previous result");
    });
  });

  it("leaves no encrypted output when the input cannot be read", async () => {
    let failure: unknown;
    await encryptDatasetFile(join(dir, "missing"), join(dir, "enc")).catch((error: unknown) => {
      failure = error;
    });
    expect(failure).to.have.property("code", "ENOENT");
    expect(await readdir(dir)).to.deep.equal([]);
  });
});

describe("sha256File", () => {
  it("returns the 0x-prefixed sha256 of a file's bytes", async () => {
    const dir = await makeTempDir();
    try {
      await writeFile(join(dir, "abc"), "abc");
      expect(await sha256File(join(dir, "abc"))).to.equal(
        "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      );
    } finally {
      await removeTempDir(dir);
    }
  });
});
