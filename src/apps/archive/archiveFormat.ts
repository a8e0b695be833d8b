// The deterministic directory archive, version 1: the canonical bytes of an app bundle and of a
// task's output. Same files, same bytes: entries sorted, modes reduced to one executable flag,
// no timestamps, owners or directories (empty directories are not kept).
//
//   offset   length  field
//   0        4       magic "CTMA" (0x43 0x54 0x4d 0x41)
//   4        1       format version, 0x01
//   5        4       entry count, unsigned big-endian
//   then for each entry, in strictly ascending byte order of the UTF-8 path:
//            2       path length p, unsigned big-endian, 1..1024
//            p       path, UTF-8, relative with '/' separators (see archivePath.ts)
//            1       flags: 0x00 regular file, 0x01 executable file
//            8       content length n, unsigned big-endian, below 2^53
//            n       content
//
// Decoding accepts exactly the bytes encoding would produce (order, flags, no trailing bytes),
// so one set of files has one archive and therefore one sha256.
import { ArchiveError } from "./ArchiveError.ts";
import { archivePathProblem } from "./archivePath.ts";

export const ARCHIVE_MAGIC = Buffer.from("CTMA", "ascii");
export const ARCHIVE_FORMAT_VERSION = 1;
const HEADER_BYTES = ARCHIVE_MAGIC.length + 1 + 4;
const FLAG_EXECUTABLE = 0x01;

export interface ArchiveEntry {
  /** Relative path with '/' separators. */
  path: string;
  /** Whether the file is executable; the only mode bit an archive keeps. */
  executable: boolean;
  content: Uint8Array;
}

/** Encodes entries in canonical order; throws ArchiveError for bad, duplicate or clashing paths. */
export function encodeArchive(entries: readonly ArchiveEntry[]): Uint8Array {
  const encoded = entries.map((entry) => ({ entry, pathBytes: Buffer.from(entry.path, "utf8") }));
  encoded.sort((a, b) => Buffer.compare(a.pathBytes, b.pathBytes));
  assertConsistentPaths(encoded.map(({ entry }) => entry.path));
  const parts: Uint8Array[] = [header(encoded.length)];
  for (const { entry, pathBytes } of encoded) {
    const fields = Buffer.alloc(2 + pathBytes.length + 1 + 8);
    fields.writeUInt16BE(pathBytes.length, 0);
    pathBytes.copy(fields, 2);
    fields.writeUInt8(entry.executable ? FLAG_EXECUTABLE : 0, 2 + pathBytes.length);
    fields.writeBigUInt64BE(BigInt(entry.content.byteLength), 3 + pathBytes.length);
    parts.push(fields, entry.content);
  }
  return Buffer.concat(parts);
}

export interface DecodeArchiveOptions {
  /** Most entries accepted; larger archives fail with ARCHIVE_TOO_LARGE. */
  maxEntries: number;
}

/** Decodes and validates a whole archive; the entries' contents are views into `bytes`. */
export function decodeArchive(bytes: Uint8Array, options: DecodeArchiveOptions): ArchiveEntry[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = readHeader(buffer);
  if (count > options.maxEntries) {
    throw new ArchiveError("ARCHIVE_TOO_LARGE", `Archive has ${count} entries, more than ${options.maxEntries}.`, {
      entries: count,
      maxEntries: options.maxEntries,
    });
  }
  const entries: ArchiveEntry[] = [];
  let offset = HEADER_BYTES;
  let previousPath: Buffer | undefined;
  for (let index = 0; index < count; index += 1) {
    const pathLength = readUInt(buffer, offset, 2);
    const pathBytes = slice(buffer, offset + 2, pathLength);
    const path = decodePath(pathBytes);
    if (previousPath !== undefined && Buffer.compare(previousPath, pathBytes) >= 0) {
      throw badArchive("entries are not in strictly ascending path order", { path });
    }
    const flags = readUInt(buffer, offset + 2 + pathLength, 1);
    if ((flags & ~FLAG_EXECUTABLE) !== 0) throw badArchive("an entry has unknown flags", { path, flags });
    const contentLength = readUInt(buffer, offset + 3 + pathLength, 8);
    const contentStart = offset + 11 + pathLength;
    entries.push({ path, executable: flags === FLAG_EXECUTABLE, content: slice(buffer, contentStart, contentLength) });
    previousPath = pathBytes;
    offset = contentStart + contentLength;
  }
  if (offset !== buffer.length) throw badArchive("there are bytes after the last entry", { trailingBytes: buffer.length - offset });
  assertConsistentPaths(entries.map((entry) => entry.path));
  return entries;
}

function header(count: number): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  ARCHIVE_MAGIC.copy(bytes, 0);
  bytes.writeUInt8(ARCHIVE_FORMAT_VERSION, ARCHIVE_MAGIC.length);
  bytes.writeUInt32BE(count, ARCHIVE_MAGIC.length + 1);
  return bytes;
}

function readHeader(buffer: Buffer): number {
  if (buffer.length < HEADER_BYTES || !ARCHIVE_MAGIC.equals(buffer.subarray(0, ARCHIVE_MAGIC.length))) {
    throw badArchive("not a Continuum archive: wrong magic bytes or truncated header");
  }
  const version = buffer[ARCHIVE_MAGIC.length];
  if (version !== ARCHIVE_FORMAT_VERSION) {
    throw badArchive(`unsupported archive version ${version}`, { version, supportedVersions: [ARCHIVE_FORMAT_VERSION] });
  }
  return buffer.readUInt32BE(ARCHIVE_MAGIC.length + 1);
}

function readUInt(buffer: Buffer, offset: number, length: 1 | 2 | 8): number {
  if (offset + length > buffer.length) throw badArchive("the archive is truncated", { offset });
  if (length === 1) return buffer.readUInt8(offset);
  if (length === 2) return buffer.readUInt16BE(offset);
  const value = buffer.readBigUInt64BE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw badArchive("an entry length is out of range", { offset });
  return Number(value);
}

function slice(buffer: Buffer, start: number, length: number): Buffer {
  if (start + length > buffer.length) throw badArchive("the archive is truncated", { offset: start });
  return buffer.subarray(start, start + length);
}

function decodePath(pathBytes: Buffer): string {
  let path: string;
  try {
    path = new TextDecoder("utf-8", { fatal: true }).decode(pathBytes);
  } catch {
    throw new ArchiveError("ARCHIVE_PATH_REFUSED", "Archive path refused: it is not valid UTF-8.");
  }
  const problem = archivePathProblem(path);
  if (problem !== undefined) {
    throw new ArchiveError("ARCHIVE_PATH_REFUSED", `Archive path refused: ${problem}.`, { path });
  }
  return path;
}

/** Refuses invalid paths, duplicates, and a file whose path is also a directory of another entry. */
function assertConsistentPaths(paths: readonly string[]): void {
  const files = new Set<string>();
  const directories = new Set<string>();
  for (const path of paths) {
    const problem = archivePathProblem(path);
    if (problem !== undefined) {
      throw new ArchiveError("ARCHIVE_PATH_REFUSED", `Archive path refused: ${problem}.`, { path });
    }
    if (files.has(path) || directories.has(path)) throw badArchive("two entries claim the same path", { path });
    files.add(path);
    const segments = path.split("/");
    for (let end = 1; end < segments.length; end += 1) directories.add(segments.slice(0, end).join("/"));
  }
  for (const directory of directories) {
    if (files.has(directory)) throw badArchive("a path is both a file and a directory", { path: directory });
  }
}

function badArchive(reason: string, details?: Record<string, unknown>): ArchiveError {
  return new ArchiveError("BAD_ARCHIVE", `Archive refused: ${reason}.`, details);
}
