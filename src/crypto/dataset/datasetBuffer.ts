// In-memory variant of dataset encryption, for small datasets and tests: the same bytes as the
// streamed file codec, so either side can read what the other wrote.
import { openAesGcm, sealAesGcm } from "../aesGcm.ts";
import type { Hex } from "../hex.ts";
import { sha256Hex } from "./datasetChecksum.ts";
import {
  DATASET_HEADER_BYTES,
  DATASET_TAG_BYTES,
  assertDatasetKey,
  assertDatasetSize,
  newDatasetHeader,
  newDatasetKey,
  parseDatasetHeader,
  tamperedDatasetError,
  truncatedDatasetError,
} from "./datasetFormat.ts";

export type EncryptedDataset = {
  /** The encrypted dataset in the version 1 format. */
  encrypted: Uint8Array;
  /** The fresh 32-byte AES-256 key. */
  key: Uint8Array;
  /** SHA-256 of `encrypted`, 0x-prefixed. */
  checksum: Hex;
  /** Length of `encrypted` in bytes. */
  size: number;
};

export function encryptDataset(plaintext: Uint8Array): EncryptedDataset {
  assertDatasetSize(plaintext.length);
  const key = newDatasetKey();
  const { header, nonce } = newDatasetHeader();
  const { ciphertext, tag } = sealAesGcm(key, nonce, plaintext, header);
  const encrypted = Buffer.concat([header, ciphertext, tag]);
  return { encrypted, key, checksum: sha256Hex(encrypted), size: encrypted.length };
}

export function decryptDataset(encrypted: Uint8Array, key: Uint8Array): Uint8Array {
  assertDatasetKey(key);
  if (encrypted.length < DATASET_HEADER_BYTES + DATASET_TAG_BYTES) throw truncatedDatasetError(encrypted.length);
  const header = encrypted.subarray(0, DATASET_HEADER_BYTES);
  const nonce = parseDatasetHeader(header);
  const tagStart = encrypted.length - DATASET_TAG_BYTES;
  const sealed = { ciphertext: encrypted.subarray(DATASET_HEADER_BYTES, tagStart), tag: encrypted.subarray(tagStart) };
  const plaintext = openAesGcm(key, nonce, sealed, header);
  if (plaintext === undefined) throw tamperedDatasetError();
  return plaintext;
}
