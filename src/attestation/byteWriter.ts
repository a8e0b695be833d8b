// Appends fixed-width little-endian integers and fixed-length byte fields to a buffer; the
// encoding half of the quote and certificate layouts. Values that do not fit are refused, never wrapped.
import { concatBytes } from "@noble/hashes/utils.js";
import { AttestationError } from "./AttestationError.ts";

export class ByteWriter {
  readonly #chunks: Uint8Array[] = [];

  u8(value: number, field: string): this {
    return this.#push(Uint8Array.of(checkedInteger(value, 0xffn, field)));
  }

  u16(value: number, field: string): this {
    const chunk = new Uint8Array(2);
    new DataView(chunk.buffer).setUint16(0, checkedInteger(value, 0xffffn, field), true);
    return this.#push(chunk);
  }

  u32(value: number, field: string): this {
    const chunk = new Uint8Array(4);
    new DataView(chunk.buffer).setUint32(0, checkedInteger(value, 0xffffffffn, field), true);
    return this.#push(chunk);
  }

  u64(value: bigint | number, field: string): this {
    const chunk = new Uint8Array(8);
    new DataView(chunk.buffer).setBigUint64(0, BigInt(checkedInteger(value, 2n ** 64n - 1n, field)), true);
    return this.#push(chunk);
  }

  /** Appends `value`, which must be exactly `length` bytes long: layouts have no variable fields. */
  bytes(value: Uint8Array, length: number, field: string): this {
    if (value.length !== length) throw invalid(`${field} must be ${length} bytes, got ${value.length}`, field);
    return this.#push(value);
  }

  zeros(length: number): this {
    return this.#push(new Uint8Array(length));
  }

  toBytes(): Uint8Array {
    return concatBytes(...this.#chunks);
  }

  #push(chunk: Uint8Array): this {
    this.#chunks.push(chunk);
    return this;
  }
}

function checkedInteger<T extends bigint | number>(value: T, max: bigint, field: string): T {
  const isInteger = typeof value === "bigint" || Number.isSafeInteger(value);
  if (!isInteger || BigInt(value) < 0n || BigInt(value) > max) {
    throw invalid(`${field} must be an integer in 0..${max}`, field);
  }
  return value;
}

function invalid(message: string, field: string): AttestationError {
  return new AttestationError("INVALID_ATTESTATION_INPUT", message, { field });
}
