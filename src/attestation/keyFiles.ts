// Persists the authority's root key and a platform's attestation key as JSON files (mode 0600)
// and loads them back, validating shape and key/certificate consistency before use.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { AttestationAuthority, type PlatformAttestationKey } from "./AttestationAuthority.ts";
import { AttestationError } from "./AttestationError.ts";
import { encodeCertificate, parseCertificate } from "./certificate.ts";
import { parseHex } from "./hexBytes.ts";
import { toHex } from "../crypto/hex.ts";
import { assertPlatformKey } from "./keyConsistency.ts";

const hexField = z.string().regex(/^0x(?:[0-9a-f]{2})+$/, "lowercase 0x-prefixed hex");

const authorityFileSchema = z.strictObject({
  kind: z.literal("continuum/attestation-authority"),
  version: z.literal(1),
  rootSecretKey: hexField,
  rootCertificate: hexField,
});

const platformKeyFileSchema = z.strictObject({
  kind: z.literal("continuum/platform-attestation-key"),
  version: z.literal(1),
  secretKey: hexField,
  certificate: hexField,
  rootCertificate: hexField,
});

/** Writes the authority, refusing to replace an existing file: a root key is never overwritten silently. */
export async function saveAuthority(path: string, authority: AttestationAuthority): Promise<void> {
  const file: z.infer<typeof authorityFileSchema> = {
    kind: "continuum/attestation-authority",
    version: 1,
    rootSecretKey: toHex(authority.exportRootSecretKey()),
    rootCertificate: toHex(encodeCertificate(authority.rootCertificate)),
  };
  await writeNewSecretFile(path, file);
}

export async function loadAuthority(path: string): Promise<AttestationAuthority> {
  const file = await readKeyFile(path, authorityFileSchema);
  return asKeyFileError(path, () => {
    const rootCertificate = parseCertificate(parseHex(file.rootCertificate, "rootCertificate"));
    return AttestationAuthority.restore(parseHex(file.rootSecretKey, "rootSecretKey"), rootCertificate);
  });
}

/** Writes a platform attestation key with its chain, refusing to replace an existing file. */
export async function savePlatformKey(path: string, key: PlatformAttestationKey): Promise<void> {
  const file: z.infer<typeof platformKeyFileSchema> = {
    kind: "continuum/platform-attestation-key",
    version: 1,
    secretKey: toHex(key.secretKey),
    certificate: toHex(encodeCertificate(key.certificate)),
    rootCertificate: toHex(encodeCertificate(key.rootCertificate)),
  };
  await writeNewSecretFile(path, file);
}

export async function loadPlatformKey(path: string): Promise<PlatformAttestationKey> {
  const file = await readKeyFile(path, platformKeyFileSchema);
  return asKeyFileError(path, () => {
    const key = {
      secretKey: parseHex(file.secretKey, "secretKey"),
      certificate: parseCertificate(parseHex(file.certificate, "certificate")),
      rootCertificate: parseCertificate(parseHex(file.rootCertificate, "rootCertificate")),
    };
    assertPlatformKey(key);
    return key;
  });
}

async function writeNewSecretFile(path: string, contents: object): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new AttestationError("KEY_FILE_EXISTS", "key file already exists", { path }, { cause: error });
    }
    throw error;
  }
}

async function readKeyFile<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  const text = await readFile(path, "utf8");
  return asKeyFileError(path, () => schema.parse(JSON.parse(text)));
}

/** Runs `load`, reporting any failure as AttestationError("INVALID_KEY_FILE") naming the file. */
function asKeyFileError<T>(path: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw new AttestationError("INVALID_KEY_FILE", "key file is invalid", { path }, { cause: error });
  }
}
