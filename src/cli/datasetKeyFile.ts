// The password-protected file holding a dataset's AES-256 key until the owner pushes it to the SMS.
// It follows the crypto module's key file design (scrypt, AES-256-GCM, public fields authenticated)
// with the dataset's checksum as its public part, since src/crypto's key files hold only wallet
// and result keys.
//
//   { "format": "continuum-dataset-key", "version": 1,
//     "dataset": { "checksum": "0x<sha256 of the ciphertext>" },
//     "kdf": { "name": "scrypt", "N", "r", "p", "salt": "0x<16 bytes>" },
//     "cipher": { "name": "aes-256-gcm", "nonce": "0x<12 bytes>", "ciphertext": "0x<32 bytes>",
//                 "tag": "0x<16 bytes>" } }
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";
import { link, mkdir, open, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { DATASET_KEY_BYTES, DEFAULT_SCRYPT_COST, CryptoError, type ScryptCost } from "../crypto/index.ts";

const FORMAT = "continuum-dataset-key";
const VERSION = 1;
const hexBytes = (length: number) => z.string().regex(new RegExp(`^0x[0-9a-f]{${2 * length}}$`));

const datasetKeyFileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  dataset: z.object({ checksum: hexBytes(32) }),
  kdf: z.object({
    name: z.literal("scrypt"),
    // Bounded like wallet key files, so a hostile file cannot make loading exhaust memory.
    N: z.number().refine((n) => Number.isInteger(Math.log2(n)) && n >= 2 ** 10 && n <= 2 ** 18),
    r: z.number().int().min(1).max(8),
    p: z.number().int().min(1).max(4),
    salt: hexBytes(16),
  }),
  cipher: z.object({
    name: z.literal("aes-256-gcm"),
    nonce: hexBytes(12),
    ciphertext: hexBytes(32),
    tag: hexBytes(16),
  }),
});

type DatasetKeyFile = z.infer<typeof datasetKeyFileSchema>;

/** Seals `key` under `password` into a new file at `path` (mode 0600, never overwriting). */
export async function createDatasetKeyFile(
  path: string,
  password: string,
  key: Uint8Array,
  checksum: string,
  options: { scryptCost?: ScryptCost } = {},
): Promise<void> {
  if (password === "") throw new CryptoError("BAD_PASSWORD", "A key file password must not be empty.");
  if (key.length !== DATASET_KEY_BYTES) {
    throw new CryptoError("BAD_DATASET_KEY", `A dataset key is ${DATASET_KEY_BYTES} bytes.`);
  }
  const kdf = { name: "scrypt" as const, ...(options.scryptCost ?? DEFAULT_SCRYPT_COST), salt: hex(randomBytes(16)) };
  const unsealed = { format: FORMAT, version: VERSION, dataset: { checksum: checksum.toLowerCase() }, kdf } as const;
  const passwordKey = await derive(password, kdf);
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", passwordKey, nonce).setAAD(additionalData(unsealed));
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  passwordKey.fill(0);
  const file: DatasetKeyFile = {
    ...unsealed,
    cipher: { name: "aes-256-gcm", nonce: hex(nonce), ciphertext: hex(ciphertext), tag: hex(cipher.getAuthTag()) },
  };
  await saveNewFile(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Opens a dataset key file; WRONG_PASSWORD if the password or any authenticated field is wrong. */
export async function loadDatasetKeyFile(
  path: string,
  password: string,
): Promise<{ key: Uint8Array; checksum: string }> {
  const file = await readDatasetKeyFile(path);
  const passwordKey = await derive(password, file.kdf);
  const decipher = createDecipheriv("aes-256-gcm", passwordKey, Buffer.from(file.cipher.nonce.slice(2), "hex"));
  decipher.setAAD(additionalData(file)).setAuthTag(Buffer.from(file.cipher.tag.slice(2), "hex"));
  try {
    const key = Buffer.concat([decipher.update(Buffer.from(file.cipher.ciphertext.slice(2), "hex")), decipher.final()]);
    return { key: Uint8Array.from(key), checksum: file.dataset.checksum };
  } catch {
    throw new CryptoError("WRONG_PASSWORD", "Wrong password for this key file, or the file was modified.", { path });
  } finally {
    passwordKey.fill(0);
  }
}

async function readDatasetKeyFile(path: string): Promise<DatasetKeyFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== "ENOENT") throw cause;
    throw new CryptoError("KEY_FILE_NOT_FOUND", "No key file at this path.", { path });
  }
  let parsed;
  try {
    parsed = datasetKeyFileSchema.safeParse(JSON.parse(text));
  } catch (cause) {
    throw new CryptoError("BAD_KEY_FILE", "Key file is not valid JSON.", { path }, { cause });
  }
  if (!parsed.success) throw new CryptoError("BAD_KEY_FILE", "Not a Continuum dataset key file.", { path });
  return parsed.data;
}

function additionalData(file: Pick<DatasetKeyFile, "format" | "version" | "dataset" | "kdf">): Uint8Array {
  const { name, N, r, p, salt } = file.kdf;
  const fields = [file.format, file.version, file.dataset.checksum, name, N, r, p, salt];
  return new TextEncoder().encode(JSON.stringify(fields));
}

function derive(password: string, kdf: ScryptCost & { salt: string }): Promise<Buffer> {
  const options = { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), Buffer.from(kdf.salt.slice(2), "hex"), 32, options, (error, derived) =>
      error ? reject(error) : resolve(derived),
    ),
  );
}

/** Writes through a temporary sibling and publishes with a hard link, which fails if `path` exists. */
async function saveNewFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`);
  const handle = await open(tempPath, "wx", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    await link(tempPath, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const message = "A key file already exists at this path; it was left untouched.";
      throw new CryptoError("KEY_FILE_EXISTS", message, { path });
    }
    throw error;
  } finally {
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true });
  }
}

function hex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}
