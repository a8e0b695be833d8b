// Public API of the HTTP shell every Continuum service is built on: its server, errors, pagination,
// rate limiting, route modules and the OpenAPI helpers route modules use to document themselves.
export { ApiError, badRequest, notFound } from "./ApiError.ts";
export { startHttpServer, type HttpServer } from "./httpServer.ts";
export { errorMiddleware, toClientError } from "./errorMiddleware.ts";
export {
  buildOpenApiDocument,
  documentedOperations,
  errorResponse,
  jsonRequestBody,
  jsonResponse,
  ERROR_SCHEMA,
  ERROR_SCHEMA_REF,
  type OpenApiDocument,
} from "./openApi.ts";
export { parsePageQuery, toPage, encodeCursor, decodeCursor, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page, type PageQuery } from "./pagination.ts";
export { rateLimitMiddleware, TokenBucketLimiter, type TakeResult, type TokenBucketOptions } from "./rateLimit.ts";
export { listRoutes, pathMatcher, toOpenApiPath, type RouteEntry } from "./routeList.ts";
export type { OpenApiPaths, RouteModule } from "./routeModule.ts";
export { listen, stopServer, type ListeningAddress } from "./listen.ts";
