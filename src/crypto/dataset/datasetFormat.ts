// The encrypted dataset format, version 1: its layout, header codec and key check, shared by the
// streamed file codec and the in-memory one so both read and write exactly the same bytes.
//
//   offset   length  field
//   0        4       magic "CTMD" (0x43 0x54 0x4d 0x44)
//   4        1       format version, 0x01
//   5        12      AES-256-GCM nonce, random per file
//   17       n       ciphertext, n = plaintext length
//   17 + n   16      AES-256-GCM authentication tag
//
// The 17 header bytes are the GCM additional data, so magic, version and nonce are authenticated.
// The tag sits last so encryption can stream; decryption therefore holds back the final 16 bytes.
// The key (32 random bytes, one per dataset) never appears in the file.
import { AES_KEY_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES, randomBytes } from "../aesGcm.ts";
import { CryptoError } from "../errors.ts";

export const DATASET_MAGIC = Buffer.from("CTMD", "ascii");
export const DATASET_FORMAT_VERSION = 1;
export const DATASET_HEADER_BYTES = DATASET_MAGIC.length + 1 + GCM_NONCE_BYTES;
export const DATASET_TAG_BYTES = GCM_TAG_BYTES;
export const DATASET_KEY_BYTES = AES_KEY_BYTES;
/** GCM's limit for one key and nonce (2^39 - 256 bits); longer plaintext would break its guarantees. */
export const DATASET_MAX_PLAINTEXT_BYTES = 2 ** 36 - 32;

export function newDatasetKey(): Uint8Array {
  return randomBytes(DATASET_KEY_BYTES);
}

/** A header with a fresh random nonce, for a new encrypted dataset. */
export function newDatasetHeader(): { header: Buffer; nonce: Uint8Array } {
  const nonce = randomBytes(GCM_NONCE_BYTES);
  return { header: Buffer.concat([DATASET_MAGIC, Buffer.of(DATASET_FORMAT_VERSION), nonce]), nonce };
}

/** Checks magic and version of a full header and returns its nonce. */
export function parseDatasetHeader(header: Uint8Array): Uint8Array {
  const magic = header.subarray(0, DATASET_MAGIC.length);
  if (!DATASET_MAGIC.equals(magic)) {
    throw new CryptoError("BAD_DATASET_FORMAT", "Not an encrypted Continuum dataset: wrong magic bytes.");
  }
  const version = header[DATASET_MAGIC.length];
  if (version !== DATASET_FORMAT_VERSION) {
    throw new CryptoError("BAD_DATASET_FORMAT", `Unsupported encrypted dataset format version ${version}.`, {
      version,
      supportedVersions: [DATASET_FORMAT_VERSION],
    });
  }
  return header.subarray(DATASET_MAGIC.length + 1, DATASET_HEADER_BYTES);
}

export function truncatedDatasetError(length: number): CryptoError {
  return new CryptoError("BAD_DATASET_FORMAT", "Encrypted dataset is truncated: shorter than header and tag.", {
    length,
    minimumLength: DATASET_HEADER_BYTES + DATASET_TAG_BYTES,
  });
}

export function tamperedDatasetError(cause?: unknown): CryptoError {
  return new CryptoError(
    "DATASET_TAMPERED",
    "Encrypted dataset failed authentication: the key is wrong or the ciphertext was modified.",
    undefined,
    { cause },
  );
}

export function assertDatasetKey(key: Uint8Array): void {
  if (key.length !== DATASET_KEY_BYTES) {
    throw new CryptoError("BAD_DATASET_KEY", `A dataset key is ${DATASET_KEY_BYTES} bytes.`, { length: key.length });
  }
}

export function assertDatasetSize(plaintextBytes: number): void {
  if (plaintextBytes > DATASET_MAX_PLAINTEXT_BYTES) {
    throw new CryptoError("DATASET_TOO_LARGE", "Dataset exceeds the AES-GCM limit of one encrypted file.", {
      maxBytes: DATASET_MAX_PLAINTEXT_BYTES,
    });
  }
}
