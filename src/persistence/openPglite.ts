// Opens an on-disk PGlite database and guarantees it is closed once. PGlite has no lock of its
// own, so a directory already open in this process is refused instead of being corrupted.
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PersistenceError } from "./PersistenceError.ts";

export type OpenPglite = { pglite: PGlite; directory: string; close(): Promise<void> };

const openDirectories = new Set<string>();

export async function openPglite(directory: string): Promise<OpenPglite> {
  const path = resolve(directory);
  if (openDirectories.has(path)) {
    throw new PersistenceError("DATABASE_IN_USE", `PGlite database ${path} is already open in this process`, {
      directory: path,
    });
  }
  openDirectories.add(path);
  let pglite: PGlite;
  try {
    await mkdir(path, { recursive: true });
    pglite = await PGlite.create({ dataDir: path });
  } catch (error) {
    openDirectories.delete(path);
    throw new PersistenceError("DATABASE_UNAVAILABLE", `cannot open PGlite database ${path}`, { directory: path }, {
      cause: error,
    });
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= pglite.close().finally(() => openDirectories.delete(path));
    return closing;
  };
  return { pglite, directory: path, close };
}
