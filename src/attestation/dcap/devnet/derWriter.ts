// Encodes the few DER types Intel's SGX certificate extension and CRL numbers are made of
// (SEQUENCE, OBJECT IDENTIFIER, OCTET STRING, INTEGER, ENUMERATED, BOOLEAN), in canonical form.
import { concatBytes } from "@noble/hashes/utils.js";
import { DevnetDcapError } from "./DevnetDcapError.ts";

const TAG = { BOOLEAN: 0x01, INTEGER: 0x02, OCTET_STRING: 0x04, OID: 0x06, ENUMERATED: 0x0a, SEQUENCE: 0x30 } as const;

export function derSequence(...elements: Uint8Array[]): Uint8Array {
  return tlv(TAG.SEQUENCE, concatBytes(...elements));
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** A non-negative integer in the fewest bytes, with a leading zero when the top bit is set. */
export function derInteger(value: number): Uint8Array {
  return tlv(TAG.INTEGER, unsignedContent(value));
}

export function derEnumerated(value: number): Uint8Array {
  return tlv(TAG.ENUMERATED, unsignedContent(value));
}

export function derBoolean(value: boolean): Uint8Array {
  return tlv(TAG.BOOLEAN, Uint8Array.of(value ? 0xff : 0x00));
}

/** A dotted OID such as "1.2.840.113741.1.13.1": first two arcs in one byte, then base-128 arcs. */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0) || arcs[0] > 2) {
    throw new DevnetDcapError("INVALID_INPUT", `"${dotted}" is not an object identifier`);
  }
  const content = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)].flatMap(base128);
  return tlv(TAG.OID, Uint8Array.from(content));
}

function base128(arc: number): number[] {
  const digits = [arc % 128];
  for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) digits.unshift((rest % 128) | 0x80);
  return digits;
}

function unsignedContent(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DevnetDcapError("INVALID_INPUT", `${value} is not a non-negative integer`);
  }
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  if (bytes.length === 0 || bytes[0] >= 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}

function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), derLength(content.length), content);
}

function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.from([0x80 | bytes.length, ...bytes]);
}
