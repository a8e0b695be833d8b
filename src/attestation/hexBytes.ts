// Attestation input given as hex or bytes, parsed strictly (optional 0x, even length, hex digits
// only) into attestation errors; output hex is src/crypto/hex.ts's.
import { hexToBytes } from "@noble/hashes/utils.js";
import { AttestationError, type AttestationErrorCode } from "./AttestationError.ts";

/** Bytes given either as a Uint8Array or as hex text (with or without 0x). */
export type BytesInput = Uint8Array | string;

const HEX_DIGITS = /^(?:[0-9a-fA-F]{2})*$/;

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
