// Cursor pagination shared by every list of every API: `?limit=&cursor=` in, `{ items, nextCursor }`
// out. A cursor is opaque to clients: base64url of the sort key of the last item returned.
import { z } from "zod";
import { shellError } from "./shellErrors.ts";

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

export type Page<T> = { items: T[]; nextCursor: string | null };
export type PageQuery = { limit: number; cursor: unknown[] | null };

const limitSchema = z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT);

/** Reads `limit` and `cursor` from a query object; bad values are the client's mistake (400). */
export function parsePageQuery(query: Record<string, unknown>): PageQuery {
  let limit = DEFAULT_PAGE_LIMIT;
  if (query.limit !== undefined) {
    const parsed = limitSchema.safeParse(query.limit);
    if (!parsed.success) {
      throw shellError("INVALID_LIMIT", `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`, { limit: String(query.limit) });
    }
    limit = parsed.data;
  }
  return { limit, cursor: query.cursor === undefined ? null : decodeCursor(query.cursor) };
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

export function decodeCursor(value: unknown): unknown[] {
  if (typeof value !== "string" || value.length === 0 || value.length > 1_000) throw invalidCursor();
  try {
    const key: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(key)) throw invalidCursor();
    return key;
  } catch {
    throw invalidCursor();
  }
}

/** Builds a page from `limit + 1` fetched rows: the extra row only tells that more exist. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => unknown[]): Page<T> {
  const items = rows.slice(0, limit);
  const nextCursor = rows.length > limit && items.length > 0 ? encodeCursor(keyOf(items[items.length - 1])) : null;
  return { items, nextCursor };
}

/** The refusal of a cursor this API did not hand out (or not for this list). */
export function invalidCursor() {
  return shellError("INVALID_CURSOR", "cursor is not one this API returned for this list; start again without it");
}
