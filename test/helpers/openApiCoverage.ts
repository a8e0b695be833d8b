// Test helper: compares the routes an express app really serves (walking its router stacks) with
// the operations its /openapi.json documents, in both directions.
import { expect } from "chai";
import type { Express } from "express";
import { documentedOperations, listRoutes, toOpenApiPath } from "../../src/http/routeList.ts";

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
