// Assembles a service's OpenAPI 3.1 document from the route modules it mounts: each operation's
// error responses are generated from the codes it lists and the service's code -> status table,
// with the shell's own answers added, and the error format and paging rules described once.
import { BODY_CODES, EVERY_OPERATION_CODES, type ErrorStatusTable } from "./shellErrors.ts";
import { BODY_METHODS } from "./jsonBody.ts";
import { ERROR_SCHEMA, errorResponses } from "./openApiErrors.ts";
import { OPENAPI_METHODS } from "./routeList.ts";
import type { OpenApiOperation, OpenApiPaths, RouteModule } from "./routeModule.ts";

export { documentedOperations } from "./routeList.ts";

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  paths: OpenApiPaths;
  components: { schemas: Record<string, unknown> } & Record<string, unknown>;
  /** Every error code of the service and of the shell, with its status. */
  "x-error-codes": Record<string, number>;
};

export type BuildOpenApiOptions = {
  title: string;
  version: string;
  description: string;
  /** The shell's table merged with the service's (mergeErrorTables). */
  errorStatus: ErrorStatusTable;
  /** Operations other than the probes and /metrics may answer 429 RATE_LIMITED. */
  rateLimited: boolean;
  /** Paths served outside the modules (/health, /openapi.json), documented as given. */
  corePaths: OpenApiPaths;
  /** Components besides schemas (e.g. parameters shared by operations). */
  components?: Record<string, unknown>;
};

/** The shell's probes and scrapes: never rate-limited. */
const EXEMPT_FROM_RATE_LIMIT = new Set(["/health", "/healthz", "/readyz", "/metrics"]);
/** The tag of the shell's own paths; only they may document a non-error answer with an error status (/readyz's 503). */
const CORE_TAG = "meta";

/** What every document says about errors and paging, so a client needs nothing else to handle them. */
export const SHELL_CONVENTIONS =
  "Every error answers `{ \"error\": { \"code\", \"message\", \"details\" } }`: `code` is stable, `message` is for people, and " +
  "`details` is always an object (`{}` when there is nothing to add). Each operation lists the codes it may answer under its " +
  "error responses (`x-error-codes`); the document's `x-error-codes` maps every code to its status. An unknown path answers " +
  "404 ROUTE_NOT_FOUND, a known path under another method 405 METHOD_NOT_ALLOWED with an `Allow` header. Bodies are JSON in " +
  "UTF-8 (`Content-Type: application/json`), optionally gzip, deflate, br or zstd encoded; anything else answers 415 " +
  "UNSUPPORTED_MEDIA_TYPE, and a body that cannot be decoded 400 MALFORMED_BODY. Headers larger than the server allows answer " +
  "431 HEADERS_TOO_LARGE and requests slower than its timeouts 408 REQUEST_TIMEOUT, both in this format and on a closed " +
  "connection. Lists are paged with `?limit=` (1 to 500) and `?cursor=` (the `nextCursor` of the previous page) and answer " +
  "`{ \"items\": [...], \"nextCursor\": string | null }`.";

function withErrorResponses(operation: OpenApiOperation, method: string, path: string, tag: string, options: BuildOpenApiOptions) {
  const { errors = [], ...documented } = operation;
  const where = `${method.toUpperCase()} ${path}`;
  const responses = { ...((documented.responses as Record<string, unknown> | undefined) ?? {}) };
  const handWritten = Object.keys(responses).filter((status) => Number(status) >= 400);
  if (handWritten.length > 0 && tag !== CORE_TAG) throw new Error(`${where} writes error responses ${handWritten.join(", ")} by hand; list their codes in errors`);
  const codes = [
    ...errors,
    ...EVERY_OPERATION_CODES,
    ...(BODY_METHODS.has(method.toUpperCase()) ? BODY_CODES : []),
    ...(options.rateLimited && !EXEMPT_FROM_RATE_LIMIT.has(path) ? ["RATE_LIMITED"] : []),
  ];
  const tags = Array.isArray(documented.tags) && documented.tags.length > 0 ? documented.tags : [tag];
  return { ...documented, tags, responses: { ...responses, ...errorResponses(codes, options.errorStatus, where) } };
}

/** Merges the modules' paths and schemas; two modules documenting one operation is a programming error. */
export function buildOpenApiDocument(modules: readonly RouteModule[], options: BuildOpenApiOptions): OpenApiDocument {
  const paths: OpenApiPaths = {};
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
  const sources: { name: string; paths: OpenApiPaths; schemas?: Record<string, unknown> }[] = [
    { name: CORE_TAG, paths: options.corePaths },
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
        merged[key] = withErrorResponses(value as OpenApiOperation, key, path, source.name, options);
      }
      paths[path] = merged;
    }
    for (const [name, schema] of Object.entries(source.schemas ?? {})) {
      if (schemas[name] !== undefined && schemas[name] !== schema) throw new Error(`OpenAPI schema ${name} is defined twice`);
      schemas[name] = schema;
    }
  }
  const byStatus = Object.entries(options.errorStatus).sort(([codeA, a], [codeB, b]) => a - b || codeA.localeCompare(codeB));
  return {
    openapi: "3.1.0",
    info: { title: options.title, version: options.version, description: `${options.description}\n\n${SHELL_CONVENTIONS}` },
    paths,
    components: { ...(options.components ?? {}), schemas },
    "x-error-codes": Object.fromEntries(byStatus),
  };
}
