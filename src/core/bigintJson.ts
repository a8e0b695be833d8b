// JSON for values that may hold bigints (chain amounts, ids, task indexes): every bigint is
// written as its decimal string, the form the REST APIs, the CLI and stored event args all use.

/** A JSON.stringify replacer writing bigints as decimal strings. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** JSON text of `data`, bigints as decimal strings. */
export function toJson(data: unknown, indent?: number): string {
  return JSON.stringify(data, jsonReplacer, indent);
}
