// Assembles the market's OpenAPI 3.1 document from the route modules it mounts, adds the answers
// every operation shares (rate limit, body limits, internal error) and one shared Error schema.
import { errorResponse } from "./openApiErrors.ts";
import { OPENAPI_METHODS } from "./routeList.ts";
import type { OpenApiPaths, RouteModule } from "./routeModule.ts";

export { errorResponse, ERROR_SCHEMA_REF } from "./openApiErrors.ts";
export { documentedOperations } from "./routeList.ts";

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  paths: OpenApiPaths;
  components: { schemas: Record<string, unknown> };
};

/** The shared error body, described for the market's readers. */
export const ERROR_SCHEMA = {
  type: "object",
  description: "The one error format of the API.",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "Stable machine-readable code, e.g. ORDER_EXPIRED." },
        message: { type: "string", description: "What went wrong and what to do about it." },
        details: { type: "object", additionalProperties: true },
      },
    },
  },
} as const;

export function jsonResponse(description: string, schema: unknown): Record<string, unknown> {
  return { description, content: { "application/json": { schema } } };
}

export function jsonRequestBody(schema: unknown, description?: string): Record<string, unknown> {
  return { required: true, ...(description ? { description } : {}), content: { "application/json": { schema } } };
}

function withSharedResponses(operation: Record<string, unknown>, tag: string, bodyLimitBytes: number) {
  const responses = { ...((operation.responses as Record<string, unknown> | undefined) ?? {}) };
  const add = (status: string, response: Record<string, unknown>) => {
    responses[status] ??= response;
  };
  if (operation.requestBody) {
    add("400", errorResponse("The body is not valid JSON", ["MALFORMED_JSON"]));
    add("413", errorResponse(`The body is larger than ${bodyLimitBytes} bytes`, ["BODY_TOO_LARGE"]));
    add("415", errorResponse("The body is not JSON", ["UNSUPPORTED_MEDIA_TYPE"]));
  }
  add("429", {
    ...errorResponse("Too many requests from this client", ["RATE_LIMITED"]),
    headers: { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } } },
  });
  add("500", errorResponse("Unexpected server fault; details are in the server log", ["INTERNAL_ERROR"]));
  const tags = Array.isArray(operation.tags) && operation.tags.length > 0 ? operation.tags : [tag];
  return { ...operation, tags, responses };
}

export type BuildOpenApiOptions = {
  title: string;
  version: string;
  description?: string;
  bodyLimitBytes: number;
  /** Paths served outside the modules (e.g. /health), documented as given. */
  corePaths: OpenApiPaths;
};

/** Merges the modules' paths and schemas; two modules documenting one operation is a programming error. */
export function buildOpenApiDocument(modules: readonly RouteModule[], options: BuildOpenApiOptions): OpenApiDocument {
  const paths: OpenApiPaths = {};
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
  const sources: { name: string; paths: OpenApiPaths; schemas?: Record<string, unknown> }[] = [
    { name: "meta", paths: options.corePaths },
    ...modules.map((module) => ({ name: module.name, paths: module.openapi.paths, schemas: module.openapi.schemas })),
  ];
  for (const source of sources) {
    for (const [path, item] of Object.entries(source.paths)) {
      const merged: Record<string, unknown> = { ...(paths[path] ?? {}) };
      for (const [key, value] of Object.entries(item)) {
        if (!OPENAPI_METHODS.has(key)) {
          merged[key] = value;
          continue;
        }
        if (merged[key] !== undefined) throw new Error(`OpenAPI operation ${key.toUpperCase()} ${path} is documented twice`);
        merged[key] = withSharedResponses(value as Record<string, unknown>, source.name, options.bodyLimitBytes);
      }
      paths[path] = merged;
    }
    for (const [name, schema] of Object.entries(source.schemas ?? {})) {
      if (schemas[name] !== undefined && schemas[name] !== schema) throw new Error(`OpenAPI schema ${name} is defined twice`);
      schemas[name] = schema;
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: options.title, version: options.version, ...(options.description ? { description: options.description } : {}) },
    paths,
    components: { schemas },
  };
}
