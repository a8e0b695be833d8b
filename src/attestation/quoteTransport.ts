// Text forms of an encoded quote for JSON bodies and headers: 0x-hex and standard base64.
// Decoding is strict, so each quote has one text form per encoding and junk is refused early.
import { AttestationError } from "./AttestationError.ts";
import { parseHex } from "./hexBytes.ts";
import { toHex, type Hex } from "../crypto/hex.ts";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function quoteToHex(quoteBytes: Uint8Array): Hex {
  return toHex(quoteBytes);
}

/** Throws AttestationError("MALFORMED_QUOTE") unless `text` is hex. */
export function quoteFromHex(text: string): Uint8Array {
  return parseHex(text, "quote", "MALFORMED_QUOTE");
}

export function quoteToBase64(quoteBytes: Uint8Array): string {
  return Buffer.from(quoteBytes).toString("base64");
}

/** Throws AttestationError("MALFORMED_QUOTE") unless `text` is canonical padded base64. */
export function quoteFromBase64(text: string): Uint8Array {
  const bytes = BASE64.test(text) ? new Uint8Array(Buffer.from(text, "base64")) : undefined;
  if (bytes === undefined || quoteToBase64(bytes) !== text) {
    throw new AttestationError("MALFORMED_QUOTE", "quote is not canonical base64");
  }
  return bytes;
}
