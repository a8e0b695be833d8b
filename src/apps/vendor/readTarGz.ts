// Reads the regular files of a gzip-compressed tar archive (an sdist): ustar headers with their
// prefix field, and the long names of pax ('x') and GNU ('L') headers. Links and devices are skipped.
import { gunzipSync } from "node:zlib";
import type { ArchivedFile } from "./readZip.ts";
import { VendorError } from "./VendorError.ts";

const BLOCK = 512;

export function readTarGz(bytes: Buffer, maxBytes: number): ArchivedFile[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: maxBytes + 1024 * 1024 });
  } catch (cause) {
    throw new VendorError("BAD_DISTRIBUTION", "Distribution archive refused: not a gzip-compressed tar archive.", undefined, { cause });
  }
  const files: ArchivedFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length && tar[offset] !== 0) {
    const header = tar.subarray(offset, offset + BLOCK);
    const size = parseInt(text(header, 124, 12) || "0", 8);
    const type = String.fromCharCode(header[156]!);
    const content = tar.subarray(offset + BLOCK, offset + BLOCK + size);
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix === "" ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
    longName = undefined;
    if (type === "L") longName = content.toString("utf8").replace(/\0.*$/s, "");
    else if (type === "x") longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(content.toString("utf8"))?.[1];
    else if (type === "0" || type === "\0") files.push({ path: name, content: Buffer.from(content) });
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

function text(header: Buffer, start: number, length: number): string {
  return header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "").trim();
}
