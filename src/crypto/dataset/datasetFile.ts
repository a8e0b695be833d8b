// Encrypts and decrypts dataset files as streams (see datasetFormat.ts for the layout), so a
// dataset larger than memory works; outputs appear only once complete and, for plaintext, verified.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { toHex, type Hex } from "../hex.ts";
import { assertDatasetKey, newDatasetKey } from "./datasetFormat.ts";
import { decryptDatasetStream, encryptDatasetStream } from "./datasetStreams.ts";
import { writeFileAtomically } from "./writeFileAtomically.ts";

const PLAINTEXT_FILE_MODE = 0o600;
const CIPHERTEXT_FILE_MODE = 0o644;

export type EncryptedDatasetFile = {
  /** The fresh 32-byte AES-256 key; it goes to the SMS and nowhere else. */
  key: Uint8Array;
  /** SHA-256 of the encrypted file, 0x-prefixed, as registered on-chain. */
  checksum: Hex;
  /** Size of the encrypted file in bytes. */
  size: number;
};

/** Encrypts `inPath` under a fresh key into `outPath` (replaced if it exists). */
export async function encryptDatasetFile(inPath: string, outPath: string): Promise<EncryptedDatasetFile> {
  const key = newDatasetKey();
  const hash = createHash("sha256");
  let size = 0;
  const measure = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  };
  await writeFileAtomically(outPath, CIPHERTEXT_FILE_MODE, (output) =>
    pipeline(createReadStream(inPath), encryptDatasetStream(key), measure, output),
  );
  return { key, checksum: toHex(hash.digest()), size };
}

/**
 * Decrypts `inPath` into `outPath` (mode 0600, replaced if it exists). Nothing is written to
 * `outPath` unless the whole file authenticates.
 */
export async function decryptDatasetFile(inPath: string, outPath: string, key: Uint8Array): Promise<void> {
  assertDatasetKey(key);
  await writeFileAtomically(outPath, PLAINTEXT_FILE_MODE, (output) =>
    pipeline(createReadStream(inPath), decryptDatasetStream(key), output),
  );
}
