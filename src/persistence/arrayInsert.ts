// Many rows in one INSERT with one array parameter per column, unnested into rows by the
// database: the statement text is the same whatever the number of rows (PostgreSQL and PGlite
// plan it once), and no query builder walks the rows. Columns are declared once, with their SQL
// type and how to read them from a row, so names, casts and values cannot drift apart.
import type { EntityManager } from "typeorm";

export type ArrayColumn<R> = {
  /** The column's name in the table. */
  name: string;
  /** The SQL type of one element, e.g. `varchar`, `numeric`, `jsonb`, `bit(256)`. */
  type: string;
  /** The element for `row`: text, a number, or null. */
  value: (row: R) => string | number | null;
};

/** The statement and its parameters; `tail` follows the SELECT (ON CONFLICT …, RETURNING …). */
export function arrayInsert<R>(table: string, columns: readonly ArrayColumn<R>[], rows: readonly R[], tail = ""): { sql: string; parameters: unknown[] } {
  if (columns.length === 0) throw new RangeError("an insert needs columns");
  const names = columns.map((column) => column.name).join(", ");
  const arrays = columns.map((column, index) => `$${index + 1}::${column.type}[]`).join(", ");
  return {
    sql: `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays}) ${tail}`.trimEnd(),
    parameters: columns.map((column) => rows.map(column.value)),
  };
}

/** Runs arrayInsert's statement and answers the rows it returns (RETURNING …). */
export async function insertRows<R, T>(
  manager: EntityManager,
  table: string,
  columns: readonly ArrayColumn<R>[],
  rows: readonly R[],
  tail = "",
): Promise<T[]> {
  const { sql, parameters } = arrayInsert(table, columns, rows, tail);
  return manager.query(sql, parameters);
}

/** A bigint as the decimal text a numeric array element takes; null stays null. */
export function decimal(value: bigint | null): string | null {
  return value === null ? null : value.toString();
}
