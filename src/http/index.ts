// Public API of the HTTP shell every Continuum service is built on: the app factory and its
// server, the error model (the shell's table, typed errors to statuses), pagination, rate
// limiting, route modules and the OpenAPI helpers route modules use to document themselves.
export { createHttpApp, API_PREFIX, type HttpAppOptions, type PageMount } from "./createHttpApp.ts";
export { ApiError, badRequest, notFound } from "./ApiError.ts";
export {
  SHELL_ERROR_STATUS,
  BODY_CODES,
  EVERY_OPERATION_CODES,
  mergeErrorTables,
  shellError,
  type ErrorStatusTable,
  type ShellErrorCode,
} from "./shellErrors.ts";
export { startHttpServer, createHttpServer, type HttpServer, type HttpServerOptions } from "./httpServer.ts";
export { DEFAULT_HTTP_LIMITS, type HttpServerLimits } from "./serverLimits.ts";
export { errorMiddleware, toClientError } from "./errorMiddleware.ts";
export { jsonBody, type RawBodyRequest } from "./jsonBody.ts";
export { buildOpenApiDocument, documentedOperations, SHELL_CONVENTIONS, type OpenApiDocument } from "./openApi.ts";
export { ERROR_SCHEMA, ERROR_SCHEMA_REF, errorResponses } from "./openApiErrors.ts";
export {
  jsonSchemaOf,
  jsonRequestBody,
  jsonResponse,
  pageSchema,
  pathParameter,
  queryParametersOf,
  schemaRef,
  PAGE_PARAMETERS,
  type OpenApiParameter,
} from "./openApiSchemas.ts";
export {
  parsePageQuery,
  toPage,
  encodeCursor,
  decodeCursor,
  invalidCursor,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  type Page,
  type PageQuery,
} from "./pagination.ts";
export { rateLimitMiddleware, TokenBucketLimiter, type AccountLimits, type TakeResult, type TokenBucketOptions } from "./rateLimit.ts";
export { listRoutes, pathMatcher, toOpenApiPath, type RouteEntry } from "./routeList.ts";
export type { OpenApiOperation, OpenApiPaths, RouteModule } from "./routeModule.ts";
export { listen, stopServer, type ListeningAddress } from "./listen.ts";
export { createServiceRegistry, metricsHandler, secondsSince, type ServiceName } from "./metrics.ts";
export { readinessHandler, runReadinessChecks, READINESS_TIMEOUT_MS, type ReadinessCheck, type ReadinessReport, type CheckResult } from "./readiness.ts";
