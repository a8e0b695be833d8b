// Hybrid encryption of a secret to an enclave's secp256k1 key: an ephemeral key pair, ECDH on
// secp256k1, HKDF-SHA256 bound to both public keys, then AES-256-GCM (see sealedEnvelope.ts).
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { libsecp256k1 } from "../secp256k1/libsecp256k1.ts";
import { hkdfSync } from "node:crypto";
import { AES_KEY_BYTES, GCM_NONCE_BYTES, openAesGcm, randomBytes, sealAesGcm } from "../aesGcm.ts";
import { EnclaveCryptoError } from "./EnclaveCryptoError.ts";
import { enclavePublicKeyForms, parseEnclavePrivateKey, type KeyInput } from "./enclaveKeys.ts";
import { encodeSealedEnvelope, encodeSealedHeader, parseSealedEnvelope } from "./sealedEnvelope.ts";

const HKDF_INFO = new TextEncoder().encode("continuum/enclave-seal/v1/secp256k1-hkdf-sha256-aes-256-gcm");

/**
 * Encrypts `plaintext` so that only the holder of the enclave private key matching
 * `enclavePublicKey` (65-byte uncompressed or 33-byte compressed SEC1, bytes or 0x-hex) can read it.
 */
export function sealToEnclave(plaintext: Uint8Array, enclavePublicKey: KeyInput): Uint8Array {
  const sealer = createEnclaveSealer(enclavePublicKey);
  try {
    return sealer.seal(plaintext);
  } finally {
    sealer.dispose();
  }
}

/** Seals several secrets to one enclave key; dispose() wipes the derived key. */
export type EnclaveSealer = { seal(plaintext: Uint8Array): Uint8Array; dispose(): void };

/** The sender's half of a seal: an ephemeral public key and the x coordinate it shares with the enclave key. */
export type SealAgreement = { ephemeralPublicKey: Uint8Array; sharedX: Uint8Array };

/**
 * The costly step of sealing: a fresh ephemeral key and its ECDH with the enclave key (33-byte
 * compressed), in libsecp256k1, many times faster than OpenSSL's generic curve code or JavaScript.
 */
export function agreeWithEnclave(recipient: Uint8Array): SealAgreement {
  if (recipient.length !== 33 || !libsecp256k1.isPoint(recipient)) {
    throw new EnclaveCryptoError("BAD_ENCLAVE_KEY", "The enclave public key is not a compressed point on secp256k1.");
  }
  const ephemeralSecretKey = randomSecretKey();
  try {
    const ephemeralPublicKey = libsecp256k1.pointFromScalar(ephemeralSecretKey, true);
    const sharedPoint = libsecp256k1.pointMultiply(recipient, ephemeralSecretKey, true);
    return { ephemeralPublicKey, sharedX: sharedPoint.slice(1) };
  } finally {
    ephemeralSecretKey.fill(0);
  }
}

/**
 * One ephemeral key agreement for every secret of a session: each envelope carries the same
 * ephemeral public key and its own random nonce, so it opens exactly like sealToEnclave's.
 * `agreement` (default: made here) must have been made with this enclave key; its shared secret is wiped.
 */
export function createEnclaveSealer(enclavePublicKey: KeyInput, agreement?: SealAgreement): EnclaveSealer {
  const recipient = enclavePublicKeyForms(enclavePublicKey).compressed;
  const { ephemeralPublicKey, sharedX } = agreement ?? agreeWithEnclave(recipient);
  const key = deriveSealKey(sharedX, ephemeralPublicKey, recipient);
  return {
    seal(plaintext) {
      const nonce = randomBytes(GCM_NONCE_BYTES);
      const header = encodeSealedHeader(ephemeralPublicKey, nonce);
      return encodeSealedEnvelope(header, sealAesGcm(key, nonce, plaintext, header));
    },
    dispose: () => void key.fill(0),
  };
}

/**
 * Opens an envelope made by `sealToEnclave` with the enclave's private key (32 bytes or 0x-hex).
 * Fails with SEALED_OPEN_FAILED for any other key or any change to the envelope.
 */
export function openAsEnclave(sealed: Uint8Array, enclavePrivateKey: KeyInput): Uint8Array {
  const secretKey = parseEnclavePrivateKey(enclavePrivateKey);
  try {
    const recipient = secp256k1.getPublicKey(secretKey, true);
    const envelope = parseSealedEnvelope(sealed);
    let shared: Uint8Array;
    try {
      shared = sharedX(secretKey, envelope.ephemeralPublicKey);
    } catch (cause) {
      throw openFailed(cause);
    }
    const key = deriveSealKey(shared, envelope.ephemeralPublicKey, recipient);
    const plaintext = openAesGcm(key, envelope.nonce, envelope.sealed, envelope.header);
    key.fill(0);
    if (plaintext === undefined) throw openFailed();
    return new Uint8Array(plaintext);
  } finally {
    secretKey.fill(0);
  }
}

/** A uniformly random secp256k1 scalar in [1, n). */
function randomSecretKey(): Uint8Array {
  for (;;) {
    const candidate = randomBytes(32);
    if (libsecp256k1.isPrivate(candidate)) return candidate;
  }
}

/** The x coordinate of secret·point: the ECDH shared secret, as in SEC 1. */
function sharedX(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return secp256k1.getSharedSecret(secretKey, publicKey, true).subarray(1);
}

function deriveSealKey(sharedSecret: Uint8Array, ephemeralPublicKey: Uint8Array, recipient: Uint8Array): Uint8Array {
  // OpenSSL's HKDF-SHA256 (RFC 5869), as every other seal and open of this format derives it.
  const key = new Uint8Array(hkdfSync("sha256", sharedSecret, Buffer.concat([ephemeralPublicKey, recipient]), HKDF_INFO, AES_KEY_BYTES));
  sharedSecret.fill(0);
  return key;
}

function openFailed(cause?: unknown): EnclaveCryptoError {
  return new EnclaveCryptoError(
    "SEALED_OPEN_FAILED",
    "Sealed secret could not be opened: the enclave key is wrong or the envelope was modified.",
    undefined,
    cause === undefined ? undefined : { cause },
  );
}
