// Self-dated freshness nonces for non-interactive attestation: 8 bytes of issue time (unix
// seconds, big-endian) followed by 24 random bytes, so a verifier can bound a quote's age.
import { randomBytes } from "@noble/hashes/utils.js";
import { AttestationError } from "./AttestationError.ts";
import { NONCE_LENGTH } from "./reportData.ts";
import { unixSeconds } from "./unixSeconds.ts";

const TIMESTAMP_LENGTH = 8;

export function createTimestampedNonce(now: Date): Uint8Array {
  const nonce = new Uint8Array(NONCE_LENGTH);
  new DataView(nonce.buffer).setBigUint64(0, BigInt(unixSeconds(now)), false);
  nonce.set(randomBytes(NONCE_LENGTH - TIMESTAMP_LENGTH), TIMESTAMP_LENGTH);
  return nonce;
}

/** The unix second a timestamped nonce claims it was made at. */
export function nonceIssuedAt(nonce: Uint8Array): number {
  if (nonce.length !== NONCE_LENGTH) {
    throw new AttestationError("INVALID_ATTESTATION_INPUT", `nonce must be ${NONCE_LENGTH} bytes`);
  }
  const seconds = new DataView(nonce.buffer, nonce.byteOffset, nonce.byteLength).getBigUint64(0, false);
  return seconds > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(seconds);
}
