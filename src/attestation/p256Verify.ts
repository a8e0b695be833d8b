// Verifies P-256 ECDSA-SHA256 signatures through Node's OpenSSL binding, which is about forty
// times faster than pure JavaScript here; only low-s r||s signatures pass, so each message has one.
// Parsed keys are kept (a few platforms sign every quote), so a key is decoded once, not per call.
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { bytesToHex, bytesToNumberBE, hexToBytes } from "@noble/curves/utils.js";
import { concatBytes } from "@noble/hashes/utils.js";
import { BoundedMap } from "../core/bounded.ts";

const HALF_ORDER = p256.Point.Fn.ORDER >> 1n;
/** DER SubjectPublicKeyInfo headers (id-ecPublicKey, prime256v1) for each SEC1 point length. */
const SPKI_PREFIXES = new Map<number, Uint8Array>([
  [33, hexToBytes("3039301306072a8648ce3d020106082a8648ce3d030107032200")],
  [65, hexToBytes("3059301306072a8648ce3d020106082a8648ce3d030107034200")],
]);

/** Whether `signature` (64-byte r||s, low s) is `publicKey`'s (SEC1) signature over sha256(message). */
export function verifyP256(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const spkiPrefix = SPKI_PREFIXES.get(publicKey.length);
  if (signature.length !== 64 || spkiPrefix === undefined) return false;
  if (bytesToNumberBE(signature.subarray(32)) > HALF_ORDER) return false;
  try {
    return verify("sha256", message, { key: keyObject(spkiPrefix, publicKey), dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}

/** Parsed keys kept; the oldest is dropped beyond this many. */
const KEY_CACHE_SIZE = 256;
const keys = new BoundedMap<string, KeyObject>(KEY_CACHE_SIZE);

/** The OpenSSL key for a SEC1 point; throws for bytes that are not a point on P-256. */
function keyObject(spkiPrefix: Uint8Array, publicKey: Uint8Array): KeyObject {
  const id = bytesToHex(publicKey);
  const known = keys.get(id);
  if (known) return known;
  const key = createPublicKey({ key: Buffer.from(concatBytes(spkiPrefix, publicKey)), format: "der", type: "spki" });
  keys.set(id, key);
  return key;
}
