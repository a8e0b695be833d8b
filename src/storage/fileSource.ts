// Opens a file on disk as a chunk stream for import, so a missing or unreadable file fails with
// FILE_NOT_READABLE before an import starts rather than halfway through one.
import { open } from "node:fs/promises";
import { StorageError } from "./errors.ts";

export async function openFileSource(path: string): Promise<AsyncIterable<Uint8Array>> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw new StorageError("FILE_NOT_READABLE", `cannot open ${path}`, { path }, { cause: error });
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new StorageError("FILE_NOT_READABLE", `not a regular file: ${path}`, { path });
  }
  return handle.createReadStream();
}
