// SHA-256 checksums of encrypted datasets, as registered on-chain: 0x-prefixed 32-byte hex.
// Files are hashed as a stream so a dataset larger than memory can be checked.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { toHex, type Hex } from "../hex.ts";

export function sha256Hex(bytes: Uint8Array): Hex {
  return toHex(createHash("sha256").update(bytes).digest());
}

export async function sha256File(path: string): Promise<Hex> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return toHex(hash.digest());
}
