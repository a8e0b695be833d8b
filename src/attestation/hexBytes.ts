// Conversions between caller-facing hex strings and bytes: strict parsing of hex input
// (optional 0x, even length, hex digits only) and 0x-prefixed lowercase output.
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { AttestationError, type AttestationErrorCode } from "./AttestationError.ts";

export type Hex = `0x${string}`;

/** Bytes given either as a Uint8Array or as hex text (with or without 0x). */
export type BytesInput = Uint8Array | string;

const HEX_DIGITS = /^(?:[0-9a-fA-F]{2})*$/;

export function toHex(bytes: Uint8Array): Hex {
  return `0x${bytesToHex(bytes)}`;
}

export function parseHex(
  text: string,
  field: string,
  code: AttestationErrorCode = "INVALID_ATTESTATION_INPUT",
): Uint8Array {
  const digits = text.startsWith("0x") || text.startsWith("0X") ? text.slice(2) : text;
  if (!HEX_DIGITS.test(digits)) throw new AttestationError(code, `${field} is not valid hex`, { field });
  return hexToBytes(digits);
}

/** `value` as exactly `length` bytes; a copy, so later changes by the caller have no effect. */
export function toFixedBytes(value: BytesInput, length: number, field: string): Uint8Array {
  const bytes = typeof value === "string" ? parseHex(value, field) : value.slice();
  if (bytes.length !== length) {
    throw new AttestationError("INVALID_ATTESTATION_INPUT", `${field} must be ${length} bytes, got ${bytes.length}`, {
      field,
    });
  }
  return bytes;
}
