// An enclave's secp256k1 identity as the SMS and the enclave runtime exchange it: strict parsing
// of public and private keys (bytes or 0x-hex) and the Ethereum address the quote commits to.
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { getAddress } from "ethers";
import { libsecp256k1 } from "../secp256k1/libsecp256k1.ts";
import { toHex, type Hex } from "../hex.ts";
import { EnclaveCryptoError } from "./EnclaveCryptoError.ts";

export const ENCLAVE_SECRET_KEY_BYTES = 32;
export const ENCLAVE_PUBLIC_KEY_BYTES = 65;
export const ENCLAVE_COMPRESSED_PUBLIC_KEY_BYTES = 33;

/** A key given as raw bytes or as hex text (with or without 0x). */
export type KeyInput = Uint8Array | string;

/**
 * The public key as a validated curve point: 65-byte uncompressed (0x04…) or 33-byte compressed
 * SEC1, as bytes or hex. Throws EnclaveCryptoError("BAD_ENCLAVE_KEY") for anything else.
 */
export function parseEnclavePublicKey(publicKey: KeyInput): InstanceType<typeof secp256k1.Point> {
  const bytes = keyBytes(publicKey, "public");
  if (bytes.length !== ENCLAVE_PUBLIC_KEY_BYTES && bytes.length !== ENCLAVE_COMPRESSED_PUBLIC_KEY_BYTES) {
    throw badKey(`An enclave public key is ${ENCLAVE_PUBLIC_KEY_BYTES} bytes (uncompressed) or 33 (compressed).`);
  }
  try {
    const point = secp256k1.Point.fromBytes(bytes);
    point.assertValidity();
    return point;
  } catch (cause) {
    throw badKey("The enclave public key is not a point on secp256k1.", cause);
  }
}

/**
 * The same checks as parseEnclavePublicKey, done by libsecp256k1 without building
 * a point object: the key's SEC1 forms, uncompressed (65 bytes) and compressed (33 bytes).
 * This is the SMS's per-session path. Throws EnclaveCryptoError("BAD_ENCLAVE_KEY").
 */
export function enclavePublicKeyForms(publicKey: KeyInput): { uncompressed: Uint8Array; compressed: Uint8Array } {
  const bytes = keyBytes(publicKey, "public");
  if (bytes.length !== ENCLAVE_PUBLIC_KEY_BYTES && bytes.length !== ENCLAVE_COMPRESSED_PUBLIC_KEY_BYTES) {
    throw badKey(`An enclave public key is ${ENCLAVE_PUBLIC_KEY_BYTES} bytes (uncompressed) or 33 (compressed).`);
  }
  if (!libsecp256k1.isPoint(bytes)) throw badKey("The enclave public key is not a point on secp256k1.");
  return { uncompressed: libsecp256k1.pointCompress(bytes, false), compressed: libsecp256k1.pointCompress(bytes, true) };
}

/** The 32-byte secret scalar; throws EnclaveCryptoError("BAD_ENCLAVE_KEY") unless it is in range. */
export function parseEnclavePrivateKey(privateKey: KeyInput): Uint8Array {
  const bytes = keyBytes(privateKey, "private");
  if (bytes.length !== ENCLAVE_SECRET_KEY_BYTES || !secp256k1.utils.isValidSecretKey(bytes)) {
    throw badKey(`An enclave private key is a ${ENCLAVE_SECRET_KEY_BYTES}-byte secp256k1 scalar.`);
  }
  return bytes;
}

/** The uncompressed public key (0x04 || x || y) of an enclave private key. */
export function enclavePublicKeyOf(privateKey: KeyInput): Uint8Array {
  return secp256k1.getPublicKey(parseEnclavePrivateKey(privateKey), false);
}

/** The uncompressed public key as 0x-hex, the form `POST /v1/sessions` takes. */
export function enclavePublicKeyToHex(publicKey: KeyInput): Hex {
  return toHex(parseEnclavePublicKey(publicKey).toBytes(false));
}

/** The checksummed Ethereum address of the key: the enclave address quotes and authorizations name. */
export function enclaveAddressOf(publicKey: KeyInput): string {
  const { uncompressed } = enclavePublicKeyForms(publicKey);
  const hash = keccak_256(uncompressed.subarray(1));
  return getAddress(toHex(hash.subarray(12)));
}

const HEX = /^(?:0x)?((?:[0-9a-fA-F]{2})*)$/;

function keyBytes(key: KeyInput, which: "public" | "private"): Uint8Array {
  if (typeof key !== "string") {
    if (!(key instanceof Uint8Array)) throw badKey(`An enclave ${which} key must be bytes or hex text.`);
    return Uint8Array.from(key);
  }
  const match = HEX.exec(key);
  if (match === null) throw badKey(`The enclave ${which} key is not valid hex.`);
  return Uint8Array.from(Buffer.from(match[1], "hex"));
}

function badKey(message: string, cause?: unknown): EnclaveCryptoError {
  return new EnclaveCryptoError("BAD_ENCLAVE_KEY", message, undefined, cause === undefined ? undefined : { cause });
}
