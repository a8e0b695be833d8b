// Hybrid encryption of task results to the requester's X25519 public key: an ephemeral key pair,
// X25519 agreement, HKDF-SHA256 bound to both public keys, then AES-256-GCM (see resultEnvelope.ts).
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { AES_KEY_BYTES, GCM_NONCE_BYTES, openAesGcm, randomBytes, sealAesGcm } from "../aesGcm.ts";
import { CryptoError } from "../errors.ts";
import { encodeResultEnvelope, encodeResultHeader, parseResultEnvelope } from "./resultEnvelope.ts";
import { parseResultPublicKey, resultPublicKeyFromPrivate } from "./resultKeys.ts";

const HKDF_INFO = new TextEncoder().encode("continuum/result-encryption/v1/x25519-hkdf-sha256-aes-256-gcm");

/**
 * Encrypts `plaintext` so that only the holder of the matching private key can read it; with
 * `attestationCid`, the envelope (version 2) names the result's attestation bundle in clear.
 */
export function encryptResult(plaintext: Uint8Array, recipientPublicKey: Uint8Array | string, options: { attestationCid?: string } = {}): Uint8Array {
  const recipient = parseResultPublicKey(recipientPublicKey);
  const ephemeral = x25519.keygen();
  let sharedSecret: Uint8Array;
  try {
    sharedSecret = x25519.getSharedSecret(ephemeral.secretKey, recipient);
  } catch (cause) {
    throw new CryptoError("BAD_RESULT_KEY", "The recipient's result public key is not a usable X25519 key.", {}, {
      cause,
    });
  } finally {
    ephemeral.secretKey.fill(0);
  }
  const key = deriveResultKey(sharedSecret, ephemeral.publicKey, recipient);
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const header = encodeResultHeader(ephemeral.publicKey, nonce, options.attestationCid);
  const sealed = sealAesGcm(key, nonce, plaintext, header);
  key.fill(0);
  return encodeResultEnvelope(header, sealed);
}

/** Opens an envelope made by `encryptResult`; fails with RESULT_DECRYPT_FAILED for any other key. */
export function decryptResult(envelope: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const recipient = resultPublicKeyFromPrivate(privateKey);
  const { header, ephemeralPublicKey, nonce, sealed } = parseResultEnvelope(envelope);
  let sharedSecret: Uint8Array;
  try {
    sharedSecret = x25519.getSharedSecret(privateKey, ephemeralPublicKey);
  } catch (cause) {
    throw decryptFailed(cause);
  }
  const key = deriveResultKey(sharedSecret, ephemeralPublicKey, recipient);
  const plaintext = openAesGcm(key, nonce, sealed, header);
  key.fill(0);
  if (plaintext === undefined) throw decryptFailed();
  return plaintext;
}

function deriveResultKey(sharedSecret: Uint8Array, ephemeralPublicKey: Uint8Array, recipient: Uint8Array): Uint8Array {
  const salt = Buffer.concat([ephemeralPublicKey, recipient]);
  const key = hkdf(sha256, sharedSecret, salt, HKDF_INFO, AES_KEY_BYTES);
  sharedSecret.fill(0);
  return key;
}

function decryptFailed(cause?: unknown): CryptoError {
  return new CryptoError(
    "RESULT_DECRYPT_FAILED",
    "Result could not be decrypted: the private key is wrong or the envelope was modified.",
    undefined,
    { cause },
  );
}
