// The 0x-prefixed sha256 the measurements are written in, and the type of such a 32-byte value.
import { createHash } from "node:crypto";

export type Bytes32Hex = `0x${string}`;

export function sha256Hex(...parts: (Uint8Array | string)[]): Bytes32Hex {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return `0x${hash.digest("hex")}`;
}
