// The one rule for paths inside an archive: relative, '/'-separated, no empty, '.' or '..'
// segments, no backslashes or control characters. Anything else could escape the target directory.
import { ArchiveError } from "./ArchiveError.ts";

export const MAX_ARCHIVE_PATH_BYTES = 1024;

const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f\\]/;
const DRIVE_PREFIX = /^[A-Za-z]:/;

/** Why `path` may not appear in an archive, or undefined when it is acceptable. */
export function archivePathProblem(path: string): string | undefined {
  if (path.length === 0) return "the path is empty";
  if (Buffer.byteLength(path, "utf8") > MAX_ARCHIVE_PATH_BYTES) return `the path is longer than ${MAX_ARCHIVE_PATH_BYTES} bytes`;
  if (FORBIDDEN_CHARACTERS.test(path)) return "the path contains a backslash or a control character";
  if (path.startsWith("/") || DRIVE_PREFIX.test(path)) return "the path is absolute";
  for (const segment of path.split("/")) {
    if (segment === "") return "the path has an empty segment";
    if (segment === "." || segment === "..") return "the path has a '.' or '..' segment";
  }
  return undefined;
}

export function assertArchivePath(path: string): void {
  const problem = archivePathProblem(path);
  if (problem !== undefined) {
    throw new ArchiveError("ARCHIVE_PATH_REFUSED", `Archive path refused: ${problem}.`, { path });
  }
}
