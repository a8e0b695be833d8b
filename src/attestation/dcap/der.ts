// A minimal strict DER walker for the two DCAP-specific reads X.509 libraries leave to us: the
// Intel SGX extension's nested values and the signed part and signature of a CRL.
import { DcapError, type DcapErrorCode } from "./DcapError.ts";

export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  ENUMERATED: 0x0a,
  SEQUENCE: 0x30,
} as const;

export interface DerElement {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just after the content. */
  end: number;
}

export class DerReader {
  readonly #bytes: Uint8Array;
  readonly #code: DcapErrorCode;
  readonly #what: string;

  constructor(bytes: Uint8Array, code: DcapErrorCode, what: string) {
    this.#bytes = bytes;
    this.#code = code;
    this.#what = what;
  }

  get bytes(): Uint8Array {
    return this.#bytes;
  }

  /** The element starting at `offset`, which must end by `limit`. */
  element(offset: number, limit = this.#bytes.length): DerElement {
    if (offset + 2 > limit) this.fail("truncated element header");
    const tag = this.#bytes[offset]!;
    if ((tag & 0x1f) === 0x1f) this.fail("multi-byte tags are not used here");
    let length = this.#bytes[offset + 1]!;
    let contentStart = offset + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 3) this.fail("unsupported length encoding");
      if (contentStart + count > limit) this.fail("truncated length");
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + this.#bytes[contentStart + i]!;
      contentStart += count;
      if (length < 0x80 || (count > 1 && length < 1 << (8 * (count - 1)))) this.fail("non-minimal length");
    }
    const end = contentStart + length;
    if (end > limit) this.fail("element runs past its container");
    return { tag, start: offset, contentStart, end };
  }

  /** The children of a constructed element, in order. */
  children(parent: DerElement): DerElement[] {
    const children: DerElement[] = [];
    for (let offset = parent.contentStart; offset < parent.end; ) {
      const child = this.element(offset, parent.end);
      children.push(child);
      offset = child.end;
    }
    return children;
  }

  expectTag(element: DerElement, tag: number, field: string): DerElement {
    if (element.tag !== tag) this.fail(`${field} has tag 0x${element.tag.toString(16)}, expected 0x${tag.toString(16)}`);
    return element;
  }

  content(element: DerElement): Uint8Array {
    return this.#bytes.subarray(element.contentStart, element.end);
  }

  /** A small non-negative INTEGER or ENUMERATED value (SVNs, types). */
  smallInteger(element: DerElement, field: string): number {
    const content = this.content(element);
    if (content.length === 0 || content.length > 4 || (content[0]! & 0x80) !== 0) this.fail(`${field} is not a small non-negative integer`);
    let value = 0;
    for (const byte of content) value = value * 256 + byte;
    return value;
  }

  /** Dotted text of an OBJECT IDENTIFIER. */
  oid(element: DerElement): string {
    const content = this.content(this.expectTag(element, DER_TAG.OID, "object identifier"));
    if (content.length === 0) this.fail("empty object identifier");
    const arcs: number[] = [];
    let value = 0;
    for (const byte of content) {
      value = value * 128 + (byte & 0x7f);
      if (value > Number.MAX_SAFE_INTEGER / 128) this.fail("object identifier arc too large");
      if ((byte & 0x80) === 0) {
        arcs.push(value);
        value = 0;
      }
    }
    if (content[content.length - 1]! & 0x80) this.fail("truncated object identifier");
    const first = arcs[0]!;
    const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
    return [...head, ...arcs.slice(1)].join(".");
  }

  fail(reason: string): never {
    throw new DcapError(this.#code, `${this.#what}: ${reason}`);
  }
}
