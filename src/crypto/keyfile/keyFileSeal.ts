// Seals a 32-byte secret key into a key file under a password, and opens it again: scrypt derives
// the AES-256-GCM key, and the public information is bound to the ciphertext as additional data.
import { scrypt } from "node:crypto";
import { AES_KEY_BYTES, GCM_NONCE_BYTES, openAesGcm, randomBytes, sealAesGcm } from "../aesGcm.ts";
import { CryptoError } from "../errors.ts";
import { hexToBytes, toHex } from "../hex.ts";
import {
  KEY_FILE_FORMAT,
  KEY_FILE_VERSION,
  SALT_BYTES,
  isSupportedScryptCost,
  keyFileAdditionalData,
  type KeyFile,
  type KeyFilePublicInfo,
  type ScryptCost,
} from "./keyFileFormat.ts";

export async function sealKeyFile(
  secretKey: Uint8Array,
  publicInfo: KeyFilePublicInfo,
  password: string,
  cost: ScryptCost,
): Promise<KeyFile> {
  if (password.length === 0) throw new CryptoError("BAD_PASSWORD", "A key file password must not be empty.");
  if (!isSupportedScryptCost(cost)) {
    const message = "Unsupported scrypt cost: N a power of two in 2^10..2^18, r 1..8, p 1..4.";
    throw new CryptoError("BAD_KDF_PARAMS", message, { ...cost });
  }
  const kdf = { name: "scrypt" as const, ...cost, salt: toHex(randomBytes(SALT_BYTES)) };
  const unsealed = { format: KEY_FILE_FORMAT, version: KEY_FILE_VERSION, public: publicInfo, kdf } as const;
  const key = await derivePasswordKey(password, kdf);
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const { ciphertext, tag } = sealAesGcm(key, nonce, secretKey, keyFileAdditionalData(unsealed));
  key.fill(0);
  return {
    ...unsealed,
    cipher: { name: "aes-256-gcm", nonce: toHex(nonce), ciphertext: toHex(ciphertext), tag: toHex(tag) },
  };
}

/** The secret key in `file`; WRONG_PASSWORD if the password (or any authenticated field) is wrong. */
export async function openKeyFile(file: KeyFile, password: string): Promise<Uint8Array> {
  const key = await derivePasswordKey(password, file.kdf);
  const sealed = { ciphertext: hexToBytes(file.cipher.ciphertext), tag: hexToBytes(file.cipher.tag) };
  const secretKey = openAesGcm(key, hexToBytes(file.cipher.nonce), sealed, keyFileAdditionalData(file));
  key.fill(0);
  if (secretKey === undefined) {
    throw new CryptoError("WRONG_PASSWORD", "Wrong password for this key file, or the file was modified.");
  }
  return secretKey;
}

function derivePasswordKey(password: string, kdf: ScryptCost & { salt: string }): Promise<Uint8Array> {
  const salt = hexToBytes(kdf.salt);
  // Node's scrypt needs 128 * N * r bytes; allow twice that so the bound never rejects valid costs.
  const options = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, AES_KEY_BYTES, options, (error, derived) =>
      error ? reject(error) : resolve(derived),
    );
  });
}
