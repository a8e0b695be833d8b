// The digest of a directory tree (or of one file) as a runtime profile records it: every regular
// file and symbolic link under the root, sorted by the UTF-8 bytes of its relative path, each as
//   <relative path> NUL <"f" file | "x" executable file | "l" link> NUL <sha256 hex | link target> LF
// and the sha256 of those lines. Byte-code caches (__pycache__, *.pyc) are left out: the runtime
// never reads them (the sandbox points Python's pycache_prefix at a path that does not exist).
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { basename, join } from "node:path";
import { sha256Hex, type Bytes32Hex } from "./sha256Hex.ts";

export interface TreeDigestOptions {
  /** Relative paths (with '/' separators) of directories to leave out, besides __pycache__. */
  skipDirectories?: readonly string[];
}

const OWNER_EXECUTE = 0o100;

export async function treeDigest(root: string, options: TreeDigestOptions = {}): Promise<Bytes32Hex> {
  const lines: { path: Buffer; line: string }[] = [];
  const stats = await lstat(root);
  if (stats.isDirectory()) await walk(root, "", new Set(options.skipDirectories ?? []), lines);
  else lines.push({ path: Buffer.from(basename(root)), line: await entryLine(root, basename(root)) });
  lines.sort((a, b) => Buffer.compare(a.path, b.path));
  return sha256Hex(lines.map((entry) => entry.line).join(""));
}

async function walk(root: string, prefix: string, skip: ReadonlySet<string>, lines: { path: Buffer; line: string }[]): Promise<void> {
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== "__pycache__" && !skip.has(path)) await walk(root, path, skip, lines);
    } else if ((entry.isFile() && !entry.name.endsWith(".pyc")) || entry.isSymbolicLink()) {
      lines.push({ path: Buffer.from(path), line: await entryLine(join(root, path), path) });
    }
  }
}

async function entryLine(absolute: string, path: string): Promise<string> {
  const stats = await lstat(absolute);
  if (stats.isSymbolicLink()) return `${path}\0l\0${await readlink(absolute)}\n`;
  const kind = (stats.mode & OWNER_EXECUTE) !== 0 ? "x" : "f";
  return `${path}\0${kind}\0${await fileSha256(absolute)}\n`;
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
