// The encrypted result envelope, version 1: layout and codec. The requester receives it by CID and
// opens it with the X25519 private key matching the public key named in the deal.
//
//   offset   length  field
//   0        4       magic "CTMR" (0x43 0x54 0x4d 0x52)
//   4        1       format version, 0x01
//   5        32      ephemeral X25519 public key of the sender
//   37       12      AES-256-GCM nonce
//   49       n       ciphertext, n = plaintext length
//   49 + n   16      AES-256-GCM authentication tag
//
// The 49 header bytes are the GCM additional data, so every field is authenticated.
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, type SealedBytes } from "../aesGcm.ts";
import { CryptoError } from "../errors.ts";
import { RESULT_KEY_BYTES } from "./resultKeys.ts";

export const RESULT_MAGIC = Buffer.from("CTMR", "ascii");
export const RESULT_FORMAT_VERSION = 1;
const EPHEMERAL_KEY_OFFSET = RESULT_MAGIC.length + 1;
const NONCE_OFFSET = EPHEMERAL_KEY_OFFSET + RESULT_KEY_BYTES;
export const RESULT_HEADER_BYTES = NONCE_OFFSET + GCM_NONCE_BYTES;

export type ResultEnvelopeHeader = { header: Uint8Array; ephemeralPublicKey: Uint8Array; nonce: Uint8Array };

export function encodeResultHeader(ephemeralPublicKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return Buffer.concat([RESULT_MAGIC, Buffer.of(RESULT_FORMAT_VERSION), ephemeralPublicKey, nonce]);
}

export function encodeResultEnvelope(header: Uint8Array, sealed: SealedBytes): Uint8Array {
  return Buffer.concat([header, sealed.ciphertext, sealed.tag]);
}

export function parseResultEnvelope(envelope: Uint8Array): ResultEnvelopeHeader & { sealed: SealedBytes } {
  if (envelope.length < RESULT_HEADER_BYTES + GCM_TAG_BYTES) {
    throw new CryptoError("BAD_RESULT_ENVELOPE", "Result envelope is truncated: shorter than header and tag.", {
      length: envelope.length,
    });
  }
  if (!RESULT_MAGIC.equals(envelope.subarray(0, RESULT_MAGIC.length))) {
    throw new CryptoError("BAD_RESULT_ENVELOPE", "Not an encrypted Continuum result: wrong magic bytes.");
  }
  const version = envelope[RESULT_MAGIC.length];
  if (version !== RESULT_FORMAT_VERSION) {
    throw new CryptoError("BAD_RESULT_ENVELOPE", `Unsupported result envelope version ${version}.`, {
      version,
      supportedVersions: [RESULT_FORMAT_VERSION],
    });
  }
  const tagStart = envelope.length - GCM_TAG_BYTES;
  return {
    header: envelope.subarray(0, RESULT_HEADER_BYTES),
    ephemeralPublicKey: envelope.subarray(EPHEMERAL_KEY_OFFSET, NONCE_OFFSET),
    nonce: envelope.subarray(NONCE_OFFSET, RESULT_HEADER_BYTES),
    sealed: { ciphertext: envelope.subarray(RESULT_HEADER_BYTES, tagStart), tag: envelope.subarray(tagStart) },
  };
}
