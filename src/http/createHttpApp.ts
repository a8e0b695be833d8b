// The HTTP shell every Continuum service is built on: JSON bodies under one set of rules,
// per-client rate limiting, route modules under /v1, /openapi.json built from those modules and
// the service's error table, /health and /healthz, /readyz, /metrics, 404 and 405 for unknown
// routes, and one error format.
// A service brings its routes and its code -> status table; everything else is the same everywhere.
import express, { type Express, type Router } from "express";
import { Registry } from "prom-client";
import type { ContinuumError } from "../core/ContinuumError.ts";
import type { Logger } from "../core/logger.ts";
import { errorMiddleware } from "./errorMiddleware.ts";
import { jsonBody } from "./jsonBody.ts";
import { metricsHandler } from "./metrics.ts";
import { readinessHandler, type ReadinessCheck } from "./readiness.ts";
import { buildOpenApiDocument, type OpenApiDocument } from "./openApi.ts";
import { jsonResponse } from "./openApiSchemas.ts";
import { rateLimitMiddleware, TokenBucketLimiter, type AccountLimits } from "./rateLimit.ts";
import { requestLog } from "./requestLog.ts";
import type { OpenApiPaths, RouteModule } from "./routeModule.ts";
import { mergeErrorTables, type ErrorStatusTable } from "./shellErrors.ts";
import { unknownRoute } from "./unknownRoute.ts";

export const API_PREFIX = "/v1";

/** Server-rendered pages mounted at `path`, outside the API and its OpenAPI document. */
export type PageMount = { path: string; router: Router };

export type HttpAppOptions = {
  /** The OpenAPI document's title, version and description of the service. */
  title: string;
  version: string;
  description: string;
  modules: readonly RouteModule[];
  /** The service's error codes and their statuses; typed errors with other codes are answered 500. */
  errorStatus: ErrorStatusTable;
  /** Turns a foreign error the service recognises (e.g. its database driver's) into a typed one. */
  translateError?: (error: unknown) => ContinuumError | undefined;
  /** Components of the document besides schemas, e.g. parameters the modules refer to. */
  openApiComponents?: Record<string, unknown>;
  /** Largest accepted request body; larger ones get 413 BODY_TOO_LARGE. */
  bodyLimitBytes: number;
  /** Sustained requests a minute per client IP (also the burst size); more get 429 RATE_LIMITED. Absent: no limit. */
  rateLimitPerMinute?: number;
  /** Requests attributed to a signing account are limited per account instead (with rateLimitPerMinute only). */
  accountLimits?: AccountLimits;
  /** Keep each body's raw bytes as `req.rawBody` (see jsonBody.ts). */
  keepRawBody?: boolean;
  /** Pages served beside the API (rate-limited like it); unknown paths outside them stay JSON 404s. */
  pages?: readonly PageMount[];
  /** Send ETags on GET answers (express's default); off where answers are never re-read. */
  etag?: boolean;
  logger: Logger;
  /** express "trust proxy" setting, when the API sits behind a reverse proxy that sets X-Forwarded-For. */
  trustProxy?: boolean | number | string;
  /** Clock of the rate limiter, in milliseconds (tests). */
  now?: () => number;
  /** The service's Prometheus registry, served at GET /metrics (an empty one when absent). */
  metrics?: Registry;
  /** What GET /readyz checks (chain, database, indexer...); ready when there is nothing to check. */
  readiness?: readonly ReadinessCheck[];
};

const READINESS_SCHEMA = {
  type: "object",
  required: ["status", "checks"],
  properties: {
    status: { type: "string", enum: ["ready", "not_ready"] },
    checks: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "ready"],
        properties: { name: { type: "string" }, ready: { type: "boolean" }, reason: { type: "string" } },
      },
    },
  },
};

const CORE_PATHS: OpenApiPaths = {
  "/health": {
    get: {
      summary: "Liveness probe",
      operationId: "getHealth",
      responses: {
        "200": jsonResponse("The server is up", { type: "object", required: ["status"], properties: { status: { type: "string", const: "ok" } } }),
      },
    },
  },
  "/healthz": {
    get: {
      summary: "Liveness probe: the process answers",
      operationId: "getHealthz",
      responses: {
        "200": jsonResponse("The process is alive", { type: "object", required: ["status"], properties: { status: { type: "string", const: "ok" } } }),
      },
    },
  },
  "/readyz": {
    get: {
      summary: "Readiness probe: chain reachable, database migrated, indexer near the head",
      description: "Not rate-limited. Each check answers with its reason when it is not ready; a check has 3 s to answer.",
      operationId: "getReadyz",
      responses: {
        "200": jsonResponse("Every check is ready", READINESS_SCHEMA),
        "503": jsonResponse("Some check is not ready; its reason says why", READINESS_SCHEMA),
      },
    },
  },
  "/metrics": {
    get: {
      summary: "Prometheus metrics of this service (text exposition format 0.0.4)",
      description: "Not rate-limited. Every series carries the label service.",
      operationId: "getMetrics",
      responses: {
        "200": { description: "Metrics in the Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } },
      },
    },
  },
  "/openapi.json": {
    get: {
      summary: "This OpenAPI document",
      operationId: "getOpenApiDocument",
      responses: { "200": jsonResponse("OpenAPI 3.1 document", { type: "object" }) },
    },
  },
};

export function createHttpApp(options: HttpAppOptions): Express {
  const { logger } = options;
  const errorStatus = mergeErrorTables(options.errorStatus);
  const document: OpenApiDocument = buildOpenApiDocument(options.modules, {
    title: options.title,
    version: options.version,
    description: options.description,
    errorStatus,
    rateLimited: options.rateLimitPerMinute !== undefined,
    corePaths: CORE_PATHS,
    components: options.openApiComponents,
  });

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", options.etag ?? true);
  app.set("trust proxy", options.trustProxy ?? false);
  app.use(requestLog(logger));
  const alive = (_req: express.Request, res: express.Response) => {
    res.json({ status: "ok" });
  };
  // Probes and scrapes come before the rate limiter: a monitor is never refused.
  app.get("/health", alive);
  app.get("/healthz", alive);
  app.get("/readyz", readinessHandler(options.readiness ?? []));
  app.get("/metrics", metricsHandler(options.metrics ?? new Registry()));
  if (options.rateLimitPerMinute !== undefined) {
    app.use(rateLimitMiddleware(new TokenBucketLimiter({ perMinute: options.rateLimitPerMinute, now: options.now }), options.accountLimits));
  }
  app.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  app.use(jsonBody({ limitBytes: options.bodyLimitBytes, keepRawBody: options.keepRawBody }));
  for (const module of options.modules) app.use(API_PREFIX, module.router);
  for (const page of options.pages ?? []) app.use(page.path, page.router);
  app.use(unknownRoute(app));
  app.use(errorMiddleware({ logger, errorStatus, translateError: options.translateError }));
  return app;
}
