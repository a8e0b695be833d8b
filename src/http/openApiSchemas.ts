// OpenAPI pieces route modules build their documentation from: JSON Schema generated from the
// very zod schemas that validate requests (z.toJSONSchema, draft 2020-12 as OpenAPI 3.1 uses),
// query parameters, request bodies, responses, and the page of a list.
import { z } from "zod";
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "./pagination.ts";

/** The JSON Schema of what `schema` accepts as input (before transforms), without the $schema dialect line. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  return rest;
}

export type OpenApiParameter = { name: string; in: "query" | "path" | "header"; required: boolean; description?: string; schema: unknown };

/** One query parameter per field of `shape`, each documented with the schema that validates it. */
export function queryParametersOf(shape: Record<string, z.ZodType>, descriptions: Record<string, string> = {}): OpenApiParameter[] {
  return Object.entries(shape).map(([name, schema]) => ({
    name,
    in: "query",
    required: false,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
    schema: jsonSchemaOf(schema),
  }));
}

export function pathParameter(name: string, schema: z.ZodType, description?: string): OpenApiParameter {
  return { name, in: "path", required: true, ...(description ? { description } : {}), schema: jsonSchemaOf(schema) };
}

/** ?limit= and ?cursor= of every list. */
export const PAGE_PARAMETERS: readonly OpenApiParameter[] = [
  {
    name: "limit",
    in: "query",
    required: false,
    description: `Page size, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT})`,
    schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT },
  },
  { name: "cursor", in: "query", required: false, description: "nextCursor of the previous page, with the same other parameters", schema: { type: "string" } },
];

/** `{ items, nextCursor }` of `item`. */
export function pageSchema(item: unknown): Record<string, unknown> {
  return {
    type: "object",
    required: ["items", "nextCursor"],
    properties: {
      items: { type: "array", items: item },
      nextCursor: { type: ["string", "null"], description: "Pass as cursor for the next page; null on the last page" },
    },
  };
}

export function jsonResponse(description: string, schema: unknown): Record<string, unknown> {
  return { description, content: { "application/json": { schema } } };
}

export function jsonRequestBody(schema: unknown, description?: string): Record<string, unknown> {
  return { required: true, ...(description ? { description } : {}), content: { "application/json": { schema } } };
}

export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
