// The SMS master key: it never encrypts a secret itself, it wraps each secret's data key. Both
// the key-wrapping key and the public key id are derived from it with HKDF, so neither reveals it.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { AES_KEY_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES, openAesGcm, randomBytes, sealAesGcm } from "../../src/crypto/aesGcm.ts";
import { SmsError } from "../SmsError.ts";

const WRAP_INFO = new TextEncoder().encode("continuum/sms/master-key/wrap/v1");
const ID_INFO = new TextEncoder().encode("continuum/sms/master-key/id/v1");
const SIGNER_INFO = "continuum/sms/signer/v1";
/** The order of secp256k1: a signing key is a scalar in [1, n). */
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const ID_BYTES = 8;

export class MasterKey {
  readonly #wrappingKey: Uint8Array;
  readonly #signerKey: Uint8Array;
  /** 16 hex characters naming the master key in the database, so a wrong key is caught at start. */
  readonly id: string;

  private constructor(material: Uint8Array) {
    this.#wrappingKey = hkdf(sha256, material, undefined, WRAP_INFO, AES_KEY_BYTES);
    this.id = bytesToHex(hkdf(sha256, material, undefined, ID_INFO, ID_BYTES));
    this.#signerKey = deriveSignerKey(material);
  }

  /**
   * The secp256k1 key the SMS signs its verdicts with (EnclaveAttested, TaskFailure) when the
   * configuration names no other (sms.signerKey): derived from the master key, so replicas sharing
   * the master key sign as one SMS. A copy; the caller may zero it.
   */
  signerKey(): Uint8Array {
    return this.#signerKey.slice();
  }

  /**
   * The master key from configuration (`sms.masterKey`: 64 hex characters). Throws
   * SmsError("MASTER_KEY_MISSING") when there is none: the SMS never runs without one.
   */
  static fromConfig(masterKeyHex: string | undefined): MasterKey {
    if (masterKeyHex === undefined || masterKeyHex === "") {
      throw new SmsError(
        "MASTER_KEY_MISSING",
        "The SMS refuses to start without a master key: set sms.masterKey in the config file or " +
          "CONTINUUM_SMS_MASTER_KEY to 32 random bytes of hex (for example the output of `openssl rand -hex 32`), " +
          "and keep it: the stored secrets can only be read with the key they were stored under.",
      );
    }
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(masterKeyHex)) {
      throw new SmsError("MASTER_KEY_INVALID", "sms.masterKey must be 32 bytes of hex (64 hex characters).");
    }
    const material = Uint8Array.from(Buffer.from(masterKeyHex.replace(/^0x/, ""), "hex"));
    try {
      return new MasterKey(material);
    } finally {
      material.fill(0);
    }
  }

  /** Encrypts a data key under the master key: nonce || ciphertext || tag, bound to `context`. */
  wrap(dataKey: Uint8Array, context: Uint8Array): Uint8Array {
    const nonce = randomBytes(GCM_NONCE_BYTES);
    const sealed = sealAesGcm(this.#wrappingKey, nonce, dataKey, context);
    return new Uint8Array(Buffer.concat([nonce, sealed.ciphertext, sealed.tag]));
  }

  /** The data key, or undefined when the wrapped bytes were not made by this key for `context`. */
  unwrap(wrapped: Uint8Array, context: Uint8Array): Uint8Array | undefined {
    if (wrapped.length < GCM_NONCE_BYTES + GCM_TAG_BYTES) return undefined;
    const tagStart = wrapped.length - GCM_TAG_BYTES;
    return openAesGcm(
      this.#wrappingKey,
      wrapped.subarray(0, GCM_NONCE_BYTES),
      { ciphertext: wrapped.subarray(GCM_NONCE_BYTES, tagStart), tag: wrapped.subarray(tagStart) },
      context,
    );
  }

  /** Keeps the key out of logs and JSON. */
  toJSON(): string {
    return `MasterKey(${this.id})`;
  }
}

/** HKDF output taken as a scalar; the counter moves on in the (2^-128) case it is not a valid key. */
function deriveSignerKey(material: Uint8Array): Uint8Array {
  for (let counter = 0; ; counter += 1) {
    const candidate = hkdf(sha256, material, undefined, new TextEncoder().encode(`${SIGNER_INFO}/${counter}`), 32);
    const scalar = BigInt(`0x${bytesToHex(candidate)}`);
    if (scalar > 0n && scalar < SECP256K1_ORDER) return candidate;
  }
}
