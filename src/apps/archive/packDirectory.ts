// Reads a directory tree into a canonical archive (see archiveFormat.ts). Symbolic links and
// special files are refused rather than followed, so packing never reaches outside the directory.
import type { Dirent } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ArchiveError } from "./ArchiveError.ts";
import { encodeArchive, type ArchiveEntry } from "./archiveFormat.ts";

export interface ArchiveLimits {
  /** Largest total size of file contents, in bytes. */
  maxBytes: number;
  /** Most files. */
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxBytes: 256 * 1024 * 1024, maxEntries: 10_000 };

const OWNER_EXECUTE = 0o100;

/** The canonical archive of every regular file under `directory`. */
export async function packDirectory(directory: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<Uint8Array> {
  return encodeArchive(await readEntries(directory, limits));
}

/** The files under `directory` as archive entries, in no particular order. */
export async function readEntries(directory: string, limits: ArchiveLimits): Promise<ArchiveEntry[]> {
  const entries: ArchiveEntry[] = [];
  const budget = { bytes: 0 };
  await collect(directory, "", entries, budget, limits);
  return entries;
}

async function collect(
  root: string,
  prefix: string,
  entries: ArchiveEntry[],
  budget: { bytes: number },
  limits: ArchiveLimits,
): Promise<void> {
  for (const child of await listDirectory(join(root, prefix), prefix)) {
    const path = prefix === "" ? child.name : `${prefix}/${child.name}`;
    const absolute = join(root, path);
    const stats = await lstat(absolute);
    if (stats.isSymbolicLink()) {
      throw new ArchiveError("ARCHIVE_SYMLINK", "Symbolic links cannot be archived.", { path });
    }
    if (stats.isDirectory()) {
      await collect(root, path, entries, budget, limits);
      continue;
    }
    if (!stats.isFile()) {
      throw new ArchiveError("ARCHIVE_UNSUPPORTED_ENTRY", "Only regular files and directories can be archived.", { path });
    }
    budget.bytes += stats.size;
    if (entries.length + 1 > limits.maxEntries || budget.bytes > limits.maxBytes) {
      throw new ArchiveError("ARCHIVE_TOO_LARGE", "The directory exceeds the archive limits.", { path, ...limits });
    }
    entries.push({ path, executable: (stats.mode & OWNER_EXECUTE) !== 0, content: await readFile(absolute) });
  }
}

async function listDirectory(directory: string, path: string): Promise<Dirent[]> {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch (cause) {
    throw new ArchiveError("ARCHIVE_SOURCE_UNREADABLE", "A directory to archive could not be read.", {
      path: path === "" ? "." : path,
    }, { cause });
  }
}
