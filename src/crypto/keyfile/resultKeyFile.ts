// Password-protected key files for the X25519 key a requester receives encrypted results with:
// create one and learn its public key, then load the key pair to decrypt results.
import type { Hex } from "../hex.ts";
import { inconsistentKeyFileError, readSecretKey, writeNewKeyFile, type KeyFileOptions } from "./keyFileAccess.ts";
import {
  generateResultKeyPair,
  resultPublicKeyFromPrivate,
  resultPublicKeyToHex,
  type ResultKeyPair,
} from "../result/resultKeys.ts";

export type ResultKeyInfo = { kind: "result-x25519"; publicKey: Hex };

/** Creates a result key file at `path` (mode 0600, never overwriting) and returns its public key. */
export async function createResultKeyFile(
  path: string,
  password: string,
  options: KeyFileOptions = {},
): Promise<ResultKeyInfo> {
  const { privateKey, publicKey } = generateResultKeyPair();
  const publicInfo = { kind: "result-x25519" as const, publicKey: resultPublicKeyToHex(publicKey) };
  try {
    await writeNewKeyFile(path, password, privateKey, publicInfo, options);
  } finally {
    privateKey.fill(0);
  }
  return publicInfo;
}

export async function loadResultKeyFile(path: string, password: string): Promise<ResultKeyPair> {
  const { publicInfo, secretKey } = await readSecretKey(path, password, "result-x25519");
  const publicKey = resultPublicKeyFromPrivate(secretKey);
  if (resultPublicKeyToHex(publicKey) !== publicInfo.publicKey) {
    throw inconsistentKeyFileError(path);
  }
  return { privateKey: secretKey, publicKey };
}
