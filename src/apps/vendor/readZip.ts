// Reads the files of a ZIP archive (a wheel) from its central directory: stored and deflated
// entries, CRC-32 checked; encrypted entries and ZIP64 archives are refused.
import { crc32, inflateRawSync } from "node:zlib";
import { VendorError } from "./VendorError.ts";

export interface ArchivedFile {
  path: string;
  content: Buffer;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

export function readZip(bytes: Buffer, maxBytes: number): ArchivedFile[] {
  const end = findEndOfDirectory(bytes);
  const count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  const files: ArchivedFile[] = [];
  let total = 0;
  for (let index = 0; index < count; index += 1) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== DIRECTORY_ENTRY) throw bad("a central directory entry is damaged");
    const flags = bytes.readUInt16LE(offset + 8);
    const method = bytes.readUInt16LE(offset + 10);
    const crc = bytes.readUInt32LE(offset + 16);
    const compressedSize = bytes.readUInt32LE(offset + 20);
    const size = bytes.readUInt32LE(offset + 24);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const skip = nameLength + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
    const local = bytes.readUInt32LE(offset + 42);
    const path = bytes.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    offset += 46 + skip;
    if (path.endsWith("/")) continue;
    if ((flags & 1) !== 0 || compressedSize === 0xffffffff || size === 0xffffffff) throw bad("encrypted or ZIP64 entries are not supported", path);
    total += size;
    if (total > maxBytes) throw bad("the archive unpacks to more than the bundle allows", path);
    if (bytes.readUInt32LE(local) !== LOCAL_HEADER) throw bad("a local header is damaged", path);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(start, start + compressedSize);
    const content = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw, { maxOutputLength: size }) : undefined;
    if (content === undefined) throw bad(`compression method ${method} is not supported`, path);
    if (content.length !== size || crc32(content) !== crc) throw bad("an entry fails its CRC-32 check", path);
    files.push({ path, content });
  }
  return files;
}

function findEndOfDirectory(bytes: Buffer): number {
  for (let offset = bytes.length - 22; offset >= Math.max(0, bytes.length - 65_557); offset -= 1) {
    if (bytes.readUInt32LE(offset) === END_OF_DIRECTORY) return offset;
  }
  throw bad("not a ZIP archive");
}

function bad(reason: string, path?: string): VendorError {
  return new VendorError("BAD_DISTRIBUTION", `Distribution archive refused: ${reason}.`, path === undefined ? undefined : { path });
}
