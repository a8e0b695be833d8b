// Writes an archive's files into a new or empty directory. The whole archive is validated before
// the first write, and files are created exclusively without following links, so nothing lands
// outside the target.
import { constants } from "node:fs";
import { mkdir, open, readdir } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { ArchiveError } from "./ArchiveError.ts";
import { decodeArchive, type ArchiveEntry } from "./archiveFormat.ts";
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from "./packDirectory.ts";

const FILE_MODE = 0o644;
const EXECUTABLE_MODE = 0o755;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Decodes `bytes` under `limits`; throws ArchiveError for anything not canonical or too large. */
export function readArchive(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): ArchiveEntry[] {
  const entries = decodeArchive(bytes, { maxEntries: limits.maxEntries });
  const total = entries.reduce((sum, entry) => sum + entry.content.byteLength, 0);
  if (total > limits.maxBytes) {
    throw new ArchiveError("ARCHIVE_TOO_LARGE", "The archive's files exceed the size limit.", { bytes: total, ...limits });
  }
  return entries;
}

/** Unpacks into `directory`, which is created if missing and must otherwise be empty. */
export async function unpackArchive(
  bytes: Uint8Array,
  directory: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ArchiveEntry[]> {
  const entries = readArchive(bytes, limits);
  await writeArchiveEntries(entries, directory);
  return entries;
}

export async function writeArchiveEntries(entries: readonly ArchiveEntry[], directory: string): Promise<void> {
  const root = resolve(directory);
  await prepareEmptyDirectory(root);
  for (const entry of entries) {
    const target = resolve(root, ...entry.path.split("/"));
    assertInside(root, target, entry.path);
    await mkdir(dirname(target), { recursive: true });
    const handle = await open(target, CREATE_FLAGS, FILE_MODE);
    try {
      await handle.writeFile(entry.content);
      await handle.chmod(entry.executable ? EXECUTABLE_MODE : FILE_MODE);
    } finally {
      await handle.close();
    }
  }
}

async function prepareEmptyDirectory(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  const existing = await readdir(root);
  if (existing.length > 0) {
    throw new ArchiveError("ARCHIVE_TARGET_NOT_EMPTY", "An archive is only unpacked into an empty directory.", {
      directory: root,
    });
  }
}

/** A second line of defence behind path validation: the resolved target stays under the root. */
function assertInside(root: string, target: string, path: string): void {
  const fromRoot = relative(root, target);
  if (fromRoot === "" || fromRoot === ".." || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
    throw new ArchiveError("ARCHIVE_PATH_REFUSED", "Archive path refused: it resolves outside the target.", { path });
  }
}
