// AES-256-GCM over whole buffers, shared by in-memory datasets, result envelopes and key files.
// Opening returns undefined when authentication fails, so each caller raises its own typed error.
import { createCipheriv, createDecipheriv, randomFillSync } from "node:crypto";

export const AES_KEY_BYTES = 32;
export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export type SealedBytes = { ciphertext: Uint8Array; tag: Uint8Array };

/** Fresh random bytes from the operating system's CSPRNG (randomFillSync: no Web Crypto wrapping, which cost more than the bytes). */
export function randomBytes(length: number): Uint8Array {
  return randomFillSync(new Uint8Array(length));
}

export function sealAesGcm(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): SealedBytes {
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

export function openAesGcm(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: SealedBytes,
  aad: Uint8Array,
): Uint8Array | undefined {
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  try {
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}
