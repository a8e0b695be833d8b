// Reads an explorer page's query string with the JSON API's rules and error codes. Forms send
// every field, filled or not, so an empty field means "no filter" rather than a bad value.
import type { Request } from "express";
import { badRequest } from "../../http/ApiError.ts";
import { AUDIT_ERROR_CODES } from "../routes/auditQuery.ts";

export type PageQueryText = Record<string, string | undefined>;

/** The query without empty fields. */
export function formQuery(req: Request): Record<string, unknown> {
  return Object.fromEntries(Object.entries(req.query as Record<string, unknown>).filter(([, value]) => value !== ""));
}

/** Refuses a parameter the page does not read, as the JSON API does (400 INVALID_QUERY). */
export function allowOnly(query: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(query).find((key) => !allowed.includes(key));
  if (unknown !== undefined) {
    throw badRequest(AUDIT_ERROR_CODES.query, `unknown query parameter "${unknown}"; this page reads ${allowed.join(", ")}`, { parameter: unknown });
  }
}

/** `limit` and the cursor stored under `cursorParam`, in the shape the API's page parsers read. */
export function pageQueryOf(query: Record<string, unknown>, cursorParam: string): Record<string, unknown> {
  return { limit: query.limit, cursor: query[cursorParam] };
}

/** The query's single-valued parameters as text, to rebuild links and refill the form. */
export function queryText(query: Record<string, unknown>): PageQueryText {
  return Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
