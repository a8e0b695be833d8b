// The encrypted result envelope, versions 1 and 2: layout and codec. The requester receives it by
// CID and opens it with the X25519 private key matching the public key named in the deal.
//
//   offset   length  field
//   0        4       magic "CTMR" (0x43 0x54 0x4d 0x52)
//   4        1       format version, 0x01 or 0x02
//   5        32      ephemeral X25519 public key of the sender
//   37       12      AES-256-GCM nonce
//   version 2 only:
//   49       1       L, the length of the attestation CID
//   50       L       the CID of the result's attestation bundle, ASCII (src/wire/attestation)
//   h        n       ciphertext, n = plaintext length; h = 49 (version 1) or 50 + L (version 2)
//   h + n    16      AES-256-GCM authentication tag
//
// The h header bytes are the GCM additional data, so every field is authenticated; the attestation
// CID is readable without the key, so auditors find the bundle from the result alone.
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, type SealedBytes } from "../aesGcm.ts";
import { CryptoError } from "../errors.ts";
import { RESULT_KEY_BYTES } from "./resultKeys.ts";

export const RESULT_MAGIC = Buffer.from("CTMR", "ascii");
export const RESULT_FORMAT_VERSION = 1;
/** The version whose header names the result's attestation bundle. */
export const ATTESTED_RESULT_FORMAT_VERSION = 2;
const EPHEMERAL_KEY_OFFSET = RESULT_MAGIC.length + 1;
const NONCE_OFFSET = EPHEMERAL_KEY_OFFSET + RESULT_KEY_BYTES;
export const RESULT_HEADER_BYTES = NONCE_OFFSET + GCM_NONCE_BYTES;
const MAX_CID_BYTES = 255;
/** The longest header of any version: enough bytes to read the attestation CID from a result's start. */
export const MAX_RESULT_HEADER_BYTES = RESULT_HEADER_BYTES + 1 + MAX_CID_BYTES;
const CID_TEXT = /^[A-Za-z0-9]+$/;

export type ResultEnvelopeHeader = {
  header: Uint8Array;
  ephemeralPublicKey: Uint8Array;
  nonce: Uint8Array;
  /** The attestation bundle's CID (version 2). */
  attestationCid?: string;
};

/** A version 1 header, or version 2 naming `attestationCid`. */
export function encodeResultHeader(ephemeralPublicKey: Uint8Array, nonce: Uint8Array, attestationCid?: string): Uint8Array {
  if (attestationCid === undefined) return Buffer.concat([RESULT_MAGIC, Buffer.of(RESULT_FORMAT_VERSION), ephemeralPublicKey, nonce]);
  if (!CID_TEXT.test(attestationCid) || attestationCid.length > MAX_CID_BYTES) {
    throw new CryptoError("BAD_RESULT_ENVELOPE", "The attestation CID is not a CID string of at most 255 characters.", { attestationCid });
  }
  const cid = Buffer.from(attestationCid, "ascii");
  return Buffer.concat([RESULT_MAGIC, Buffer.of(ATTESTED_RESULT_FORMAT_VERSION), ephemeralPublicKey, nonce, Buffer.of(cid.length), cid]);
}

export function encodeResultEnvelope(header: Uint8Array, sealed: SealedBytes): Uint8Array {
  return Buffer.concat([header, sealed.ciphertext, sealed.tag]);
}

/**
 * Reads the header at the start of `bytes` (a whole envelope, or its first MAX_RESULT_HEADER_BYTES):
 * what an auditor needs to find the attestation bundle without the key.
 */
export function parseResultHeader(bytes: Uint8Array): ResultEnvelopeHeader {
  if (bytes.length < RESULT_HEADER_BYTES) throw truncated(bytes.length);
  if (!RESULT_MAGIC.equals(bytes.subarray(0, RESULT_MAGIC.length))) {
    throw new CryptoError("BAD_RESULT_ENVELOPE", "Not an encrypted Continuum result: wrong magic bytes.");
  }
  const version = bytes[RESULT_MAGIC.length];
  const fields = {
    ephemeralPublicKey: bytes.subarray(EPHEMERAL_KEY_OFFSET, NONCE_OFFSET),
    nonce: bytes.subarray(NONCE_OFFSET, RESULT_HEADER_BYTES),
  };
  if (version === RESULT_FORMAT_VERSION) return { header: bytes.subarray(0, RESULT_HEADER_BYTES), ...fields };
  if (version !== ATTESTED_RESULT_FORMAT_VERSION) {
    throw new CryptoError("BAD_RESULT_ENVELOPE", `Unsupported result envelope version ${version}.`, {
      version,
      supportedVersions: [RESULT_FORMAT_VERSION, ATTESTED_RESULT_FORMAT_VERSION],
    });
  }
  const cidLength = bytes[RESULT_HEADER_BYTES];
  if (cidLength === undefined || bytes.length < RESULT_HEADER_BYTES + 1 + cidLength) throw truncated(bytes.length);
  const end = RESULT_HEADER_BYTES + 1 + cidLength;
  const attestationCid = Buffer.from(bytes.subarray(RESULT_HEADER_BYTES + 1, end)).toString("latin1");
  if (!CID_TEXT.test(attestationCid)) throw new CryptoError("BAD_RESULT_ENVELOPE", "The envelope's attestation CID is not a CID string.");
  return { header: bytes.subarray(0, end), ...fields, attestationCid };
}

export function parseResultEnvelope(envelope: Uint8Array): ResultEnvelopeHeader & { sealed: SealedBytes } {
  const header = parseResultHeader(envelope);
  if (envelope.length < header.header.length + GCM_TAG_BYTES) throw truncated(envelope.length);
  const tagStart = envelope.length - GCM_TAG_BYTES;
  return {
    ...header,
    sealed: { ciphertext: envelope.subarray(header.header.length, tagStart), tag: envelope.subarray(tagStart) },
  };
}

function truncated(length: number): CryptoError {
  return new CryptoError("BAD_RESULT_ENVELOPE", "Result envelope is truncated: shorter than header and tag.", { length });
}
