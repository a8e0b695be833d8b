// 0x-prefixed hex for values that leave the crypto module as text: checksums, public keys, key files.
// Parsing is strict about length so a truncated or padded value is rejected rather than reinterpreted.

export type Hex = `0x${string}`;

export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/** The bytes of `value` if it is 0x followed by exactly `byteLength` bytes of hex, otherwise undefined. */
export function parseFixedHex(value: string, byteLength: number): Uint8Array | undefined {
  if (value.length !== 2 + 2 * byteLength || !/^0x[0-9a-fA-F]*$/.test(value)) return undefined;
  return Uint8Array.from(Buffer.from(value.slice(2), "hex"));
}

/** The bytes of hex already validated (by a schema, say); use parseFixedHex for untrusted input. */
export function hexToBytes(value: string): Uint8Array {
  return Uint8Array.from(Buffer.from(value.slice(2), "hex"));
}
