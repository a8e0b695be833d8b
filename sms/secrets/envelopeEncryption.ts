// Envelope encryption of secrets at rest: each secret value gets a fresh AES-256-GCM data key,
// which is stored wrapped by the master key. Both layers authenticate the secret's identity and
// version, so a row's ciphertext cannot be moved to another secret or replayed as another version.
import { AES_KEY_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES, openAesGcm, randomBytes, sealAesGcm } from "../../src/crypto/aesGcm.ts";
import { SmsError } from "../SmsError.ts";
import type { MasterKey } from "./MasterKey.ts";
import type { SecretIdentity } from "../../src/wire/smsApi/secretKinds.ts";

export type SealedSecret = { masterKeyId: string; wrappedKey: Uint8Array; ciphertext: Uint8Array };

export function sealSecret(masterKey: MasterKey, identity: SecretIdentity, version: number, value: Uint8Array): SealedSecret {
  return sealEnvelope(masterKey, secretLabel(identity, version), value);
}

/**
 * Seals `value` under a fresh data key wrapped by the master key; both layers authenticate
 * `label` (what the value is), so a sealed row opens only as what it was sealed as.
 */
export function sealEnvelope(masterKey: MasterKey, label: readonly (string | number)[], value: Uint8Array): SealedSecret {
  const dataKey = randomBytes(AES_KEY_BYTES);
  try {
    const nonce = randomBytes(GCM_NONCE_BYTES);
    const sealed = sealAesGcm(dataKey, nonce, value, context("value", label));
    return {
      masterKeyId: masterKey.id,
      wrappedKey: masterKey.wrap(dataKey, context("data-key", label)),
      ciphertext: new Uint8Array(Buffer.concat([nonce, sealed.ciphertext, sealed.tag])),
    };
  } finally {
    dataKey.fill(0);
  }
}

/**
 * The secret's value. Throws SmsError("SECRET_UNREADABLE") when the row was not sealed by this
 * master key for this identity and version (tampering, or a row copied from elsewhere).
 */
export function openSecret(masterKey: MasterKey, identity: SecretIdentity, version: number, sealed: SealedSecret): Uint8Array {
  const value = openEnvelope(masterKey, secretLabel(identity, version), sealed);
  if (value === undefined) throw unreadable(identity);
  return value;
}

/** The value sealEnvelope sealed under `label`, or undefined when the row was not sealed so by this master key. */
export function openEnvelope(masterKey: MasterKey, label: readonly (string | number)[], sealed: SealedSecret): Uint8Array | undefined {
  const dataKey = sealed.masterKeyId === masterKey.id ? masterKey.unwrap(sealed.wrappedKey, context("data-key", label)) : undefined;
  if (dataKey === undefined) return undefined;
  if (sealed.ciphertext.length < GCM_NONCE_BYTES + GCM_TAG_BYTES) {
    dataKey.fill(0);
    return undefined;
  }
  try {
    const { ciphertext } = sealed;
    const tagStart = ciphertext.length - GCM_TAG_BYTES;
    const value = openAesGcm(
      dataKey,
      ciphertext.subarray(0, GCM_NONCE_BYTES),
      { ciphertext: ciphertext.subarray(GCM_NONCE_BYTES, tagStart), tag: ciphertext.subarray(tagStart) },
      context("value", label),
    );
    return value === undefined ? undefined : new Uint8Array(value);
  } finally {
    dataKey.fill(0);
  }
}

/** What a secret is, for the additional authenticated data (the encoding rows sealed since v1 carry). */
function secretLabel(identity: SecretIdentity, version: number): (string | number)[] {
  return ["continuum/sms/secret/v1", identity.kind, identity.asset.toString(), identity.requester, identity.name, version];
}

/** Additional authenticated data: an unambiguous encoding of the layer and of what is sealed. */
function context(layer: "value" | "data-key", label: readonly (string | number)[]): Uint8Array {
  const [scheme, ...fields] = label;
  return new TextEncoder().encode(JSON.stringify([scheme, layer, ...fields]));
}

function unreadable(identity: SecretIdentity): SmsError {
  return new SmsError("SECRET_UNREADABLE", "a stored secret does not open under the master key", {
    kind: identity.kind,
    asset: identity.asset.toString(),
    name: identity.name,
  });
}
