// Reads fixed-width little-endian fields from untrusted bytes, refusing any read past the end
// with a typed error that names the field and offset; the decoding half of the layouts.
import { AttestationError, type AttestationErrorCode } from "./AttestationError.ts";

export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #errorCode: AttestationErrorCode;
  #offset = 0;

  constructor(bytes: Uint8Array, errorCode: AttestationErrorCode) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#errorCode = errorCode;
  }

  get offset(): number {
    return this.#offset;
  }

  u8(field: string): number {
    return this.#view.getUint8(this.#claim(1, field));
  }

  u16(field: string): number {
    return this.#view.getUint16(this.#claim(2, field), true);
  }

  u32(field: string): number {
    return this.#view.getUint32(this.#claim(4, field), true);
  }

  u64(field: string): bigint {
    return this.#view.getBigUint64(this.#claim(8, field), true);
  }

  /** A copy of the next `length` bytes, so parsed values never alias the caller's buffer. */
  bytes(length: number, field: string): Uint8Array {
    const start = this.#claim(length, field);
    return this.#bytes.slice(start, start + length);
  }

  /** Consumes `length` reserved bytes, which must all be zero so that each value has one encoding. */
  zeros(length: number, field: string): void {
    const start = this.#claim(length, field);
    if (this.#bytes.subarray(start, start + length).some((byte) => byte !== 0)) {
      this.fail(`${field} must be zero`, start);
    }
  }

  expectEnd(): void {
    if (this.#offset !== this.#bytes.length) {
      this.fail(`${this.#bytes.length - this.#offset} unexpected trailing bytes`, this.#offset);
    }
  }

  fail(message: string, offset: number = this.#offset): never {
    throw new AttestationError(this.#errorCode, message, { offset });
  }

  #claim(length: number, field: string): number {
    const start = this.#offset;
    if (start + length > this.#bytes.length) {
      this.fail(`truncated: ${field} needs ${length} bytes, ${this.#bytes.length - start} left`, start);
    }
    this.#offset = start + length;
    return start;
  }
}
