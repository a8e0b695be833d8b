// Converts P-256 public keys between the compressed SEC1 form used in certificates and the
// raw 64-byte x||y form Intel's quotes use for the attestation key.
import { p256 } from "@noble/curves/nist.js";
import { bytesToHex, concatBytes } from "@noble/hashes/utils.js";
import { BoundedSet } from "../core/bounded.ts";

const SEC1_UNCOMPRESSED_PREFIX = Uint8Array.of(4);

export function toRawPublicKey(compressedPublicKey: Uint8Array): Uint8Array {
  return p256.Point.fromBytes(compressedPublicKey).toBytes(false).slice(1);
}

/** The compressed SEC1 form of a raw key on the curve: the parity of y, then x; no curve arithmetic. */
export function compressRawPublicKey(rawPublicKey: Uint8Array): Uint8Array {
  const compressed = new Uint8Array(33);
  compressed[0] = 2 + (rawPublicKey[63] & 1);
  compressed.set(rawPublicKey.subarray(0, 32), 1);
  return compressed;
}

/** The uncompressed SEC1 encoding (0x04 || x || y) that signature verification accepts. */
export function rawToSec1PublicKey(rawPublicKey: Uint8Array): Uint8Array {
  return concatBytes(SEC1_UNCOMPRESSED_PREFIX, rawPublicKey);
}

/** SEC1 encodings already found on the curve; the oldest is dropped beyond this many. */
const KNOWN_POINTS_KEPT = 1_024;
const knownPoints = new BoundedSet<string>(KNOWN_POINTS_KEPT);

/**
 * Whether `sec1` (33-byte compressed or 65-byte uncompressed) is a point on P-256. Decompressing
 * costs a modular square root; the few keys every quote repeats (root, platforms) are checked once.
 */
export function isP256Point(sec1: Uint8Array, compressed: boolean): boolean {
  const id = bytesToHex(sec1);
  if (knownPoints.has(id)) return sec1.length === (compressed ? 33 : 65);
  if (!p256.utils.isValidPublicKey(sec1, compressed)) return false;
  knownPoints.add(id);
  return true;
}
