// Streamed AES-256-GCM for the dataset format: async-generator transforms for stream.pipeline,
// so memory stays around one chunk whatever the dataset size.
import { createCipheriv, createDecipheriv, type DecipherGCM } from "node:crypto";
import {
  DATASET_HEADER_BYTES,
  DATASET_TAG_BYTES,
  assertDatasetKey,
  assertDatasetSize,
  newDatasetHeader,
  parseDatasetHeader,
  tamperedDatasetError,
  truncatedDatasetError,
} from "./datasetFormat.ts";

export type ByteTransform = (source: AsyncIterable<Uint8Array>) => AsyncGenerator<Uint8Array>;

/** Turns plaintext chunks into the version 1 encrypted dataset format (see datasetFormat.ts). */
export function encryptDatasetStream(key: Uint8Array): ByteTransform {
  assertDatasetKey(key);
  return async function* encrypt(source) {
    const { header, nonce } = newDatasetHeader();
    const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: DATASET_TAG_BYTES });
    cipher.setAAD(header);
    yield header;
    let plaintextBytes = 0;
    for await (const chunk of source) {
      plaintextBytes += chunk.length;
      assertDatasetSize(plaintextBytes);
      if (chunk.length > 0) yield cipher.update(chunk);
    }
    cipher.final();
    yield cipher.getAuthTag();
  };
}

/**
 * Turns an encrypted dataset back into plaintext chunks. Plaintext is emitted before the tag is
 * checked at the end, so consumers must discard the output if the transform throws.
 */
export function decryptDatasetStream(key: Uint8Array): ByteTransform {
  assertDatasetKey(key);
  return async function* decrypt(source) {
    let decipher: DecipherGCM | undefined;
    // Before the header is parsed: the bytes read so far. After: the last bytes, which may be the tag.
    let pending = Buffer.alloc(0);
    let totalBytes = 0;
    for await (const chunk of source) {
      totalBytes += chunk.length;
      pending = Buffer.concat([pending, chunk]);
      if (decipher === undefined) {
        if (pending.length < DATASET_HEADER_BYTES) continue;
        decipher = openDecipher(key, pending.subarray(0, DATASET_HEADER_BYTES));
        pending = pending.subarray(DATASET_HEADER_BYTES);
      }
      if (pending.length > DATASET_TAG_BYTES) {
        const ciphertextEnd = pending.length - DATASET_TAG_BYTES;
        yield decipher.update(pending.subarray(0, ciphertextEnd));
        pending = Buffer.from(pending.subarray(ciphertextEnd));
      }
    }
    if (decipher === undefined || pending.length < DATASET_TAG_BYTES) throw truncatedDatasetError(totalBytes);
    decipher.setAuthTag(pending);
    try {
      decipher.final();
    } catch (cause) {
      throw tamperedDatasetError(cause);
    }
  };
}

function openDecipher(key: Uint8Array, header: Uint8Array): DecipherGCM {
  const nonce = parseDatasetHeader(header);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: DATASET_TAG_BYTES });
  decipher.setAAD(header);
  return decipher;
}
