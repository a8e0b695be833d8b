// Canonical JSON, the byte form of every measurement document and of pipeline documents (their ids): object keys sorted by UTF-16 code
// units, no whitespace, strings and numbers as JSON.stringify writes them, arrays in their order.
// One document therefore has one encoding, and one sha256.

export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue };

export function canonicalJson(value: CanonicalValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError("canonical JSON has no NaN or Infinity");
  return JSON.stringify(value);
}
