// Key files on disk: saved with mode 0600 and never over an existing file, read back with their
// structure validated, and their public information shown without the password.
import { randomBytes } from "node:crypto";
import { link, open, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CryptoError } from "../errors.ts";
import { keyFileSchema, type KeyFile, type KeyFilePublicInfo } from "./keyFileFormat.ts";

const KEY_FILE_MODE = 0o600;

/** Writes `file` to `path` (mode 0600) in one step; refuses to replace an existing file. */
export async function saveKeyFile(path: string, file: KeyFile): Promise<void> {
  const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`);
  const handle = await open(tempPath, "wx", KEY_FILE_MODE);
  try {
    await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
    await handle.sync();
    await handle.close();
    // A hard link publishes the complete file atomically and, unlike rename, fails if path exists.
    await link(tempPath, path);
  } catch (error) {
    if (isErrnoCode(error, "EEXIST")) {
      throw new CryptoError("KEY_FILE_EXISTS", "A key file already exists at this path; it was left untouched.", {
        path,
      });
    }
    throw error;
  } finally {
    await handle.close();
    await rm(tempPath, { force: true });
  }
}

export async function readKeyFile(path: string): Promise<KeyFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (!isErrnoCode(error, "ENOENT")) throw error;
    throw new CryptoError("KEY_FILE_NOT_FOUND", "No key file at this path.", { path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CryptoError("BAD_KEY_FILE", "Key file is not valid JSON.", { path }, { cause });
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const invalidFields = parsed.error.issues.map((issue) => issue.path.join("."));
    throw new CryptoError("BAD_KEY_FILE", "Key file does not match the Continuum key file format.", {
      path,
      invalidFields,
    });
  }
  return parsed.data;
}

/** What a key file says about itself (kind, address or public key); needs no password. */
export async function readKeyFilePublicInfo(path: string): Promise<KeyFilePublicInfo> {
  return (await readKeyFile(path)).public;
}

function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
