// Brings the dataset into the enclave: streams the ciphertext from storage to scratch space while
// hashing it, checks the registered checksum, then decrypts it into the app's input directory.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { CryptoError, decryptDatasetFile } from "../src/crypto/index.ts";
import type { ContentStore } from "../src/storage/index.ts";
import type { StepBounds } from "./deadline.ts";
import { EnclaveError } from "./EnclaveError.ts";
import { storageStep } from "./storageStep.ts";

export interface DatasetPlacement {
  /** Where the ciphertext is kept while it is checked. */
  ciphertextPath: string;
  /** Where the app finds the plaintext. */
  plaintextPath: string;
}

export async function provisionDataset(
  store: ContentStore,
  dataset: { cid: string; checksum: string },
  key: Uint8Array,
  placement: DatasetPlacement,
  maxDatasetBytes: number,
  bounds: StepBounds,
): Promise<void> {
  const checksum = await storageStep(
    "FETCH_FAILED",
    "fetching the dataset",
    (signal) => downloadHashed(store, dataset.cid, placement.ciphertextPath, maxDatasetBytes, signal),
    bounds,
  );
  if (checksum !== dataset.checksum.toLowerCase()) {
    throw new EnclaveError("BAD_DATASET_CHECKSUM", "The fetched dataset does not match its registered checksum.", {
      expected: dataset.checksum,
      actual: checksum,
      cid: dataset.cid,
    });
  }
  try {
    await decryptDatasetFile(placement.ciphertextPath, placement.plaintextPath, key);
  } catch (error) {
    const reason = error instanceof CryptoError ? error.code : "DECRYPT_ERROR";
    throw new EnclaveError("DATASET_DECRYPT_FAILED", "The dataset could not be decrypted with the released key.", {
      reason,
    }, { cause: error });
  }
}

async function downloadHashed(
  store: ContentStore,
  cid: string,
  path: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<string> {
  const hash = createHash("sha256");
  let size = 0;
  const measure = async function* (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        throw new EnclaveError("DATASET_TOO_LARGE", "The dataset is larger than this worker accepts.", { maxBytes, cid });
      }
      hash.update(chunk);
      yield chunk;
    }
  };
  await pipeline(store.cat(cid, { signal }), measure, createWriteStream(path, { mode: 0o600 }), { signal });
  return `0x${hash.digest("hex")}`;
}
