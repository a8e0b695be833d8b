// The steps every kind of key file shares: seal a secret under a password and save it, or read a
// file of the expected kind and open it with the password.
import { CryptoError } from "../errors.ts";
import { DEFAULT_SCRYPT_COST, type KeyFilePublicInfo, type KeyKind, type ScryptCost } from "./keyFileFormat.ts";
import { openKeyFile, sealKeyFile } from "./keyFileSeal.ts";
import { readKeyFile, saveKeyFile } from "./keyFileStore.ts";

export type KeyFileOptions = {
  /** scrypt cost; defaults to DEFAULT_SCRYPT_COST. Lower it only for tests. */
  scryptCost?: ScryptCost;
};

export async function writeNewKeyFile(
  path: string,
  password: string,
  secretKey: Uint8Array,
  publicInfo: KeyFilePublicInfo,
  options: KeyFileOptions,
): Promise<void> {
  const file = await sealKeyFile(secretKey, publicInfo, password, options.scryptCost ?? DEFAULT_SCRYPT_COST);
  await saveKeyFile(path, file);
}

type PublicInfoOf<K extends KeyKind> = Extract<KeyFilePublicInfo, { kind: K }>;

export async function readSecretKey<K extends KeyKind>(
  path: string,
  password: string,
  kind: K,
): Promise<{ publicInfo: PublicInfoOf<K>; secretKey: Uint8Array }> {
  const file = await readKeyFile(path);
  if (!isOfKind(file.public, kind)) {
    throw new CryptoError("BAD_KEY_FILE", `Expected a ${kind} key file, found a ${file.public.kind} one.`, {
      path,
      expectedKind: kind,
      kind: file.public.kind,
    });
  }
  return { publicInfo: file.public, secretKey: await openKeyFile(file, password) };
}

function isOfKind<K extends KeyKind>(publicInfo: KeyFilePublicInfo, kind: K): publicInfo is PublicInfoOf<K> {
  return publicInfo.kind === kind;
}

export function inconsistentKeyFileError(path: string): CryptoError {
  return new CryptoError("BAD_KEY_FILE", "Key file's public information does not match its secret key.", { path });
}
