// ECDSA P-256 / SHA-256 checks of raw r ‖ s signatures through Node's OpenSSL binding, with the
// raw x ‖ y keys of quotes turned into OpenSSL keys once each (a platform signs many quotes).
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { BoundedMap } from "../../core/bounded.ts";

/** DER SubjectPublicKeyInfo header of an uncompressed P-256 point (id-ecPublicKey, prime256v1). */
const SPKI_PREFIX = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");

/** Whether `signature` (64 bytes, r ‖ s) is `key`'s over sha256(`message`). Any s is accepted, as Intel's QVL does. */
export function verifyP256Raw(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return verify("sha256", message, { key, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}

/** Keeps the OpenSSL keys of the attestation keys seen last. */
export class RawKeyCache {
  readonly #keys: BoundedMap<string, KeyObject | null>;

  constructor(capacity: number) {
    this.#keys = new BoundedMap(capacity);
  }

  /** The key for a raw 64-byte x ‖ y point, or undefined if it is not a point on P-256. */
  get(raw: Uint8Array): KeyObject | undefined {
    const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("latin1");
    let key = this.#keys.get(id);
    if (key === undefined) {
      key = rawKey(raw);
      this.#keys.set(id, key);
    }
    return key ?? undefined;
  }
}

function rawKey(raw: Uint8Array): KeyObject | null {
  if (raw.length !== 64) return null;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from([4]), raw]), format: "der", type: "spki" });
  } catch {
    return null;
  }
}
