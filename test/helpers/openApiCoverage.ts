// Test helper: compares the routes an express app really serves (walking its router stacks) with
// the operations its /openapi.json documents, in both directions; and the error codes its table
// maps (the document's x-error-codes) with the codes its operations list, under their statuses.
import { expect } from "chai";
import type { Express } from "express";
import { documentedOperations, listRoutes, toOpenApiPath } from "../../src/http/routeList.ts";

type Responses = Record<string, { "x-error-codes"?: string[] }>;
export type DocumentWithErrors = { paths: Record<string, Record<string, unknown>>; "x-error-codes": Record<string, number> };

/** Answered on paths rather than operations: an unknown path, or a known one under another method. */
const PATH_CODES = ["ROUTE_NOT_FOUND", "METHOD_NOT_ALLOWED"];

export function servedOperations(app: Express): string[] {
  return [...new Set(listRoutes(app).map((route) => `${route.method} ${toOpenApiPath(route.path)}`))].sort();
}

export async function expectRoutesDocumented(app: Express, baseUrl: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/openapi.json`);
  expect(response.status).to.equal(200);
  const document = (await response.json()) as { paths: Record<string, object> };
  const served = servedOperations(app);
  const documented = [...new Set(documentedOperations(document))].sort();
  expect(served.filter((operation) => !documented.includes(operation)), "served but not documented").to.deep.equal([]);
  expect(documented.filter((operation) => !served.includes(operation)), "documented but not served").to.deep.equal([]);
  return served;
}

/** The codes `method path` lists under `status`. */
export function documentedCodes(document: DocumentWithErrors, method: string, path: string, status: number): string[] {
  const operation = document.paths[path]?.[method.toLowerCase()] as { responses?: Responses } | undefined;
  return operation?.responses?.[String(status)]?.["x-error-codes"] ?? [];
}

/**
 * Every code of the table is listed by some operation (but `unused`, codes of the shell this
 * service never answers, and the path-level 404 and 405), and every listed code sits under the
 * status the table gives it.
 */
export function expectEveryCodeDocumented(document: DocumentWithErrors, unused: readonly string[] = []): void {
  const table = document["x-error-codes"];
  const listed = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const [status, response] of Object.entries((operation as { responses?: Responses }).responses ?? {})) {
        for (const code of response["x-error-codes"] ?? []) {
          expect(table[code], `${method.toUpperCase()} ${path} lists ${code} under ${status}`).to.equal(Number(status));
          listed.add(code);
        }
      }
    }
  }
  const missing = Object.keys(table).filter((code) => !listed.has(code) && !PATH_CODES.includes(code) && !unused.includes(code));
  expect(missing, "codes of the table no operation lists").to.deep.equal([]);
  expect(unused.filter((code) => listed.has(code)), "codes said to be unused but listed").to.deep.equal([]);
}
