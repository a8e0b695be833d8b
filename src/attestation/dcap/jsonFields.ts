// Typed reads of fields from parsed collateral JSON (TCB info, QE identity): each read checks
// the field's type and shape and refuses anything else with DcapError("MALFORMED_COLLATERAL").
import { DcapError } from "./DcapError.ts";

export type JsonObject = Record<string, unknown>;

export class JsonFields {
  readonly #object: JsonObject;
  readonly #path: string;

  constructor(value: unknown, path: string) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "is not an object");
    this.#object = value as JsonObject;
    this.#path = path;
  }

  static parse(text: string, path: string): JsonFields {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DcapError("MALFORMED_COLLATERAL", `${path} is not JSON`, { path }, { cause: error });
    }
    return new JsonFields(value, path);
  }

  has(key: string): boolean {
    return this.#object[key] !== undefined;
  }

  string(key: string): string {
    const value = this.#object[key];
    if (typeof value !== "string") fail(this.#at(key), "is not a string");
    return value;
  }

  /** A non-negative safe integer. */
  integer(key: string, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.#object[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
      fail(this.#at(key), `is not an integer from 0 to ${max}`);
    }
    return value;
  }

  /** Hex text of exactly `length` bytes (either case). */
  hex(key: string, length: number): Uint8Array {
    const text = this.string(key);
    if (text.length !== length * 2 || !/^[0-9a-fA-F]*$/.test(text)) fail(this.#at(key), `is not ${length} bytes of hex`);
    return new Uint8Array(Buffer.from(text, "hex"));
  }

  /** An ISO 8601 date, in ms since the epoch. */
  date(key: string): number {
    const text = this.string(key);
    const millis = Date.parse(text);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || !Number.isFinite(millis)) fail(this.#at(key), "is not an ISO 8601 date");
    return millis;
  }

  object(key: string): JsonFields {
    return new JsonFields(this.#object[key], this.#at(key));
  }

  objects(key: string, maxLength = 1000): JsonFields[] {
    const value = this.#object[key];
    if (!Array.isArray(value) || value.length > maxLength) fail(this.#at(key), `is not an array of at most ${maxLength}`);
    return value.map((item, index) => new JsonFields(item, `${this.#at(key)}[${index}]`));
  }

  /** An optional array of strings (advisory IDs); absent means empty. */
  strings(key: string): string[] {
    const value = this.#object[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.length > 1000 || !value.every((item) => typeof item === "string")) {
      fail(this.#at(key), "is not an array of strings");
    }
    return value as string[];
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.string(key);
    if (!(allowed as readonly string[]).includes(value)) fail(this.#at(key), `is not one of ${allowed.join(", ")}`);
    return value as T;
  }

  /** Refuses the field `key` for `reason`. */
  refuse(key: string, reason: string): never {
    fail(this.#at(key), reason);
  }

  #at(key: string): string {
    return `${this.#path}.${key}`;
  }
}

function fail(path: string, reason: string): never {
  throw new DcapError("MALFORMED_COLLATERAL", `${path} ${reason}`, { path });
}
