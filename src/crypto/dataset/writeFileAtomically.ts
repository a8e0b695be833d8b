// Writes a file through a temporary sibling renamed into place only on success, so a failed or
// interrupted write (a dataset failing authentication, say) never leaves partial output behind.
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";

export async function writeFileAtomically(
  path: string,
  mode: number,
  write: (output: Writable) => Promise<void>,
): Promise<void> {
  const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.partial`);
  // Opening before streaming guarantees the temp file exists, so the cleanup below always finds it.
  const handle = await open(tempPath, "wx", mode);
  try {
    await write(handle.createWriteStream());
    await rename(tempPath, path);
  } catch (error) {
    await handle.close();
    await rm(tempPath, { force: true });
    throw error;
  }
}
