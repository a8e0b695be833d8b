// Encrypts a dataset file with the crypto module's streamed AES-256-GCM format while reporting
// progress, and recognizes encrypted datasets so plaintext is never published by mistake.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { DATASET_KEY_BYTES, encryptDatasetStream, toHex, type Hex } from "../crypto/index.ts";

/** The first bytes of every encrypted dataset (see src/crypto/dataset/datasetFormat.ts). */
const DATASET_MAGIC = Buffer.from("CTMD", "ascii");

export type EncryptedDatasetResult = {
  /** The fresh AES-256 key; the caller seals it into a key file and wipes it. */
  key: Uint8Array;
  /** SHA-256 of the encrypted file, as registered on-chain. */
  checksum: Hex;
  /** Size of the encrypted file in bytes. */
  size: number;
  plaintextSize: number;
};

/**
 * Encrypts `inPath` under a fresh key into `outPath`, calling `onProgress` with the plaintext bytes
 * read so far. The output appears only once complete.
 */
export async function encryptDatasetWithProgress(
  inPath: string,
  outPath: string,
  onProgress: (bytesRead: number) => void,
): Promise<EncryptedDatasetResult> {
  const key = randomBytes(DATASET_KEY_BYTES);
  const hash = createHash("sha256");
  let bytesRead = 0;
  let size = 0;
  onProgress(0);
  const countRead = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      bytesRead += chunk.length;
      onProgress(bytesRead);
      yield chunk;
    }
  };
  const measureOutput = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  };
  const tempPath = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString("hex")}.partial`);
  const handle = await open(tempPath, "wx", 0o644);
  try {
    const output = handle.createWriteStream();
    await pipeline(createReadStream(inPath), countRead, encryptDatasetStream(key), measureOutput, output);
    await rename(tempPath, outPath);
  } catch (error) {
    key.fill(0);
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true });
    throw error;
  }
  return { key, checksum: toHex(hash.digest()), size, plaintextSize: bytesRead };
}

/** Whether the file starts like an encrypted Continuum dataset. */
export async function looksEncrypted(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const header = Buffer.alloc(DATASET_MAGIC.length);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    return bytesRead === header.length && header.equals(DATASET_MAGIC);
  } finally {
    await handle.close();
  }
}
