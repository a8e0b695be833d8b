// Reads little-endian fields from untrusted quote bytes; any read past the end, or a length
// above its bound, is a DcapError naming the field and offset, so parsing never over-reads.
import { DcapError } from "./DcapError.ts";

export class QuoteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#offset = start;
    this.#end = end;
  }

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.#end - this.#offset;
  }

  u16(field: string): number {
    return this.#view.getUint16(this.#claim(2, field), true);
  }

  u32(field: string): number {
    return this.#view.getUint32(this.#claim(4, field), true);
  }

  /** A view (no copy) of the next `length` bytes. */
  bytes(length: number, field: string): Uint8Array {
    const start = this.#claim(length, field);
    return this.#bytes.subarray(start, start + length);
  }

  /** A reader over the next `length` bytes, which this reader skips. */
  sub(length: number, field: string): QuoteReader {
    const start = this.#claim(length, field);
    return new QuoteReader(this.#bytes, start, start + length);
  }

  /** A length field, refused above `max` before anything is read or allocated. */
  length32(field: string, max: number): number {
    const at = this.#offset;
    const length = this.u32(field);
    if (length > max) throw new DcapError("OVERSIZED", `${field} is ${length} bytes, above the limit of ${max}`, { field, offset: at, length, max });
    return length;
  }

  length16(field: string, max: number): number {
    const at = this.#offset;
    const length = this.u16(field);
    if (length > max) throw new DcapError("OVERSIZED", `${field} is ${length} bytes, above the limit of ${max}`, { field, offset: at, length, max });
    return length;
  }

  expectEnd(structure: string): void {
    if (this.#offset !== this.#end) {
      throw new DcapError("TRAILING_BYTES", `${this.#end - this.#offset} bytes left after ${structure}`, {
        structure,
        offset: this.#offset,
      });
    }
  }

  #claim(length: number, field: string): number {
    const start = this.#offset;
    if (length > this.#end - start) {
      throw new DcapError("TRUNCATED", `truncated: ${field} needs ${length} bytes, ${this.#end - start} left`, {
        field,
        offset: start,
      });
    }
    this.#offset = start + length;
    return start;
  }
}
