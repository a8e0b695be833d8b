// P-256 keys of the devnet's DCAP parties (CAs, TCB signer, PCK and attestation keys) as Node
// KeyObjects: signatures in Intel's raw r ‖ s form, PKCS#8 for storage, WebCrypto keys for X.509.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject, type webcrypto } from "node:crypto";
import { DevnetDcapError } from "./DevnetDcapError.ts";

export interface P256KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;

export function generateP256KeyPair(): P256KeyPair {
  return generateKeyPairSync("ec", { namedCurve: "P-256" });
}

/** ECDSA-SHA256 over `data`, as the 64-byte r ‖ s Intel's quotes and collateral carry. */
export function signRaw(privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign("sha256", data, { key: privateKey, dsaEncoding: "ieee-p1363" }));
}

/** The public key as x ‖ y (64 bytes), the quote's attestation key encoding. */
export function rawPublicKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" });
  if (jwk.crv !== "P-256" || !jwk.x || !jwk.y) throw new DevnetDcapError("INVALID_INPUT", "not a P-256 public key");
  return new Uint8Array(Buffer.concat([Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]));
}

export function exportPkcs8(privateKey: KeyObject): Uint8Array {
  return new Uint8Array(privateKey.export({ format: "der", type: "pkcs8" }));
}

/** A stored PKCS#8 key with its public half; throws DevnetDcapError("INVALID_STATE_FILE") unless P-256. */
export function importPkcs8(der: Uint8Array): P256KeyPair {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
  } catch (error) {
    throw new DevnetDcapError("INVALID_STATE_FILE", "stored key is not PKCS#8", undefined, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== "ec" || privateKey.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new DevnetDcapError("INVALID_STATE_FILE", "stored key is not a P-256 key");
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** The pair as WebCrypto keys, the form @peculiar/x509 signs certificates and CRLs with. */
export function toWebCryptoPair(pair: P256KeyPair): webcrypto.CryptoKeyPair {
  return {
    privateKey: pair.privateKey.toCryptoKey(ECDSA_P256, false, ["sign"]),
    publicKey: pair.publicKey.toCryptoKey(ECDSA_P256, true, ["verify"]),
  };
}
