// Small SQL builders the ledger's writer and queries share: multi-row INSERTs split under
// PostgreSQL's bind-parameter limit, and WHERE clauses assembled from optional filters.
import type { EntityManager } from "typeorm";

/** Bind parameters per statement, well under PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/** Inserts `rows` (values in `columns` order) into `table`, in as few statements as the limit allows. */
export async function insertRows(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const placeholders = row.map((value) => {
        values.push(value);
        return `$${values.length}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    await manager.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, values);
  }
}

/** Collects conditions and their parameters; `param` returns the placeholder of a new value. */
export class WhereClause {
  readonly params: unknown[] = [];
  readonly #conditions: string[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds `condition`, built with `param`, only when `value` is defined. */
  addIf<T>(value: T | undefined | null, condition: (placeholder: string, value: T) => string): this {
    if (value !== undefined && value !== null) this.#conditions.push(condition(this.param(value), value));
    return this;
  }

  add(condition: string): this {
    this.#conditions.push(condition);
    return this;
  }

  toString(): string {
    return this.#conditions.length === 0 ? "" : `WHERE ${this.#conditions.join(" AND ")}`;
  }
}

/** Unix seconds as the Date a timestamptz parameter takes. */
export function timeOf(unixSeconds: number): Date {
  return new Date(unixSeconds * 1000);
}
