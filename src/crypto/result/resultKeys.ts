// X25519 key pairs for result encryption: generation, and the 0x-hex form in which public keys
// are exchanged (a bytes32 on-chain commits to it).
import { x25519 } from "@noble/curves/ed25519.js";
import { BoundedMap } from "../../core/bounded.ts";
import { CryptoError } from "../errors.ts";
import { parseFixedHex, toHex, type Hex } from "../hex.ts";

export const RESULT_KEY_BYTES = 32;

export type ResultKeyPair = { privateKey: Uint8Array; publicKey: Uint8Array };

export function generateResultKeyPair(): ResultKeyPair {
  const { secretKey, publicKey } = x25519.keygen();
  return { privateKey: secretKey, publicKey };
}

export function resultPublicKeyFromPrivate(privateKey: Uint8Array): Uint8Array {
  assertResultKeyLength(privateKey, "private");
  return x25519.getPublicKey(privateKey);
}

export function resultPublicKeyToHex(publicKey: Uint8Array): Hex {
  assertResultKeyLength(publicKey, "public");
  return toHex(publicKey);
}

/** Accepts a public key as 32 bytes or as 0x-hex of 32 bytes. */
export function parseResultPublicKey(publicKey: Uint8Array | string): Uint8Array {
  if (typeof publicKey !== "string") {
    assertResultKeyLength(publicKey, "public");
    return publicKey;
  }
  const bytes = parseFixedHex(publicKey, RESULT_KEY_BYTES);
  if (bytes === undefined) {
    throw new CryptoError("BAD_RESULT_KEY", "A result public key is 0x followed by 64 hex digits.");
  }
  return bytes;
}

/** A fixed scalar: whether a public key is usable does not depend on which scalar meets it. */
const PROBE_SCALAR = new Uint8Array(RESULT_KEY_BYTES).fill(0x5a);

/**
 * Verdicts already reached, by the key's lowercase hex. The verdict is a function of the 32 bytes
 * alone, and one X25519 multiplication in JavaScript costs more than a millisecond, while the SMS
 * asks about the same deal key at every session of the deal.
 */
const usableVerdicts = new BoundedMap<string, boolean>(4_096);

/**
 * Whether results can be encrypted to this X25519 public key: false for the points of small order
 * (the zero key among them), with which every key agreement gives the same all-zero secret.
 */
export function isUsableResultPublicKey(publicKey: Uint8Array | string): boolean {
  let bytes: Uint8Array;
  try {
    bytes = parseResultPublicKey(publicKey);
  } catch {
    return false;
  }
  const key = toHex(bytes);
  let usable = usableVerdicts.get(key);
  if (usable === undefined) {
    usable = agreesToNonZeroSecret(bytes);
    usableVerdicts.set(key, usable);
  }
  return usable;
}

function agreesToNonZeroSecret(publicKey: Uint8Array): boolean {
  try {
    x25519.getSharedSecret(PROBE_SCALAR, publicKey);
    return true;
  } catch {
    return false;
  }
}

function assertResultKeyLength(key: Uint8Array, which: "public" | "private"): void {
  if (key.length !== RESULT_KEY_BYTES) {
    throw new CryptoError("BAD_RESULT_KEY", `A result ${which} key is ${RESULT_KEY_BYTES} bytes.`, {
      length: key.length,
    });
  }
}
