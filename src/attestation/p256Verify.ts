// Verifies P-256 ECDSA-SHA256 signatures through Node's OpenSSL binding, which is about forty
// times faster than pure JavaScript here; only low-s r||s signatures pass, so each message has one.
import { createPublicKey, verify } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { bytesToNumberBE, hexToBytes } from "@noble/curves/utils.js";
import { concatBytes } from "@noble/hashes/utils.js";

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
    const key = createPublicKey({ key: Buffer.from(concatBytes(spkiPrefix, publicKey)), format: "der", type: "spki" });
    return verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}
