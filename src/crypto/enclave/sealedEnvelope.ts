// The sealed-to-enclave envelope, version 1: layout and codec. The SMS makes one per released
// secret; only the enclave holding the matching secp256k1 private key opens it.
//
//   offset   length  field
//   0        4       magic "CTES" (0x43 0x54 0x45 0x53)
//   4        1       format version, 0x01
//   5        33      ephemeral secp256k1 public key of the sender, compressed SEC1
//   38       12      AES-256-GCM nonce
//   50       n       ciphertext, n = plaintext length
//   50 + n   16      AES-256-GCM authentication tag
//
// The 50 header bytes are the GCM additional data, so every field is authenticated.
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, type SealedBytes } from "../aesGcm.ts";
import { EnclaveCryptoError } from "./EnclaveCryptoError.ts";
import { ENCLAVE_COMPRESSED_PUBLIC_KEY_BYTES } from "./enclaveKeys.ts";

export const SEALED_MAGIC = Buffer.from("CTES", "ascii");
export const SEALED_FORMAT_VERSION = 1;
const EPHEMERAL_KEY_OFFSET = SEALED_MAGIC.length + 1;
const NONCE_OFFSET = EPHEMERAL_KEY_OFFSET + ENCLAVE_COMPRESSED_PUBLIC_KEY_BYTES;
export const SEALED_HEADER_BYTES = NONCE_OFFSET + GCM_NONCE_BYTES;
/** Bytes a sealed envelope adds to its plaintext. */
export const SEALED_OVERHEAD_BYTES = SEALED_HEADER_BYTES + GCM_TAG_BYTES;

export type SealedEnvelope = { header: Uint8Array; ephemeralPublicKey: Uint8Array; nonce: Uint8Array; sealed: SealedBytes };

export function encodeSealedHeader(ephemeralPublicKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return Buffer.concat([SEALED_MAGIC, Buffer.of(SEALED_FORMAT_VERSION), ephemeralPublicKey, nonce]);
}

export function encodeSealedEnvelope(header: Uint8Array, sealed: SealedBytes): Uint8Array {
  return new Uint8Array(Buffer.concat([header, sealed.ciphertext, sealed.tag]));
}

/** Splits an envelope into its fields; throws EnclaveCryptoError("BAD_SEALED_FORMAT") for other bytes. */
export function parseSealedEnvelope(envelope: Uint8Array): SealedEnvelope {
  if (!(envelope instanceof Uint8Array) || envelope.length < SEALED_OVERHEAD_BYTES) {
    throw new EnclaveCryptoError("BAD_SEALED_FORMAT", "Sealed secret is truncated: shorter than header and tag.", {
      length: envelope instanceof Uint8Array ? envelope.length : undefined,
    });
  }
  if (!SEALED_MAGIC.equals(envelope.subarray(0, SEALED_MAGIC.length))) {
    throw new EnclaveCryptoError("BAD_SEALED_FORMAT", "Not a Continuum sealed secret: wrong magic bytes.");
  }
  const version = envelope[SEALED_MAGIC.length];
  if (version !== SEALED_FORMAT_VERSION) {
    throw new EnclaveCryptoError("BAD_SEALED_FORMAT", `Unsupported sealed secret version ${version}.`, {
      version,
      supportedVersions: [SEALED_FORMAT_VERSION],
    });
  }
  const tagStart = envelope.length - GCM_TAG_BYTES;
  return {
    header: envelope.subarray(0, SEALED_HEADER_BYTES),
    ephemeralPublicKey: envelope.subarray(EPHEMERAL_KEY_OFFSET, NONCE_OFFSET),
    nonce: envelope.subarray(NONCE_OFFSET, SEALED_HEADER_BYTES),
    sealed: { ciphertext: envelope.subarray(SEALED_HEADER_BYTES, tagStart), tag: envelope.subarray(tagStart) },
  };
}
