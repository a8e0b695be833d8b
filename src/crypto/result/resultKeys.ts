// X25519 key pairs for result encryption: generation, and the 0x-hex form in which public keys
// are exchanged (a bytes32 on-chain commits to it).
import { x25519 } from "@noble/curves/ed25519.js";
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

function assertResultKeyLength(key: Uint8Array, which: "public" | "private"): void {
  if (key.length !== RESULT_KEY_BYTES) {
    throw new CryptoError("BAD_RESULT_KEY", `A result ${which} key is ${RESULT_KEY_BYTES} bytes.`, {
      length: key.length,
    });
  }
}
