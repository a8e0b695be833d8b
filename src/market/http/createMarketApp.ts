// The market HTTP server shell: JSON bodies with a size limit, per-client rate limiting, route
// modules under /v1, /openapi.json built from those modules, /health, and one error format.
// Web pages (the explorer) may be mounted beside the API; they answer their own errors.
import express, { type Express, type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "../../core/logger.ts";
import { ApiError } from "../../http/ApiError.ts";
import { errorMiddleware } from "../../http/errorMiddleware.ts";
import { buildOpenApiDocument, jsonResponse, type OpenApiDocument } from "../../http/openApi.ts";
import { rateLimitMiddleware, TokenBucketLimiter } from "../../http/rateLimit.ts";
import { listRoutes, pathMatcher, type RouteEntry } from "../../http/routeList.ts";
import type { OpenApiPaths, RouteModule } from "../../http/routeModule.ts";

/** Server-rendered pages mounted at `path`, outside the API and its OpenAPI document. */
export type PageMount = { path: string; router: Router };

export type MarketAppOptions = {
  modules: readonly RouteModule[];
  /** Pages served beside the API (rate-limited like it); unknown paths outside them stay JSON 404s. */
  pages?: readonly PageMount[];
  /** Largest accepted request body; larger ones get 413 BODY_TOO_LARGE. */
  bodyLimitBytes: number;
  /** Sustained requests a minute per client IP (also the burst size); more get 429 RATE_LIMITED. */
  rateLimitPerMinute: number;
  logger: Logger;
  /** express "trust proxy" setting, when the API sits behind a reverse proxy that sets X-Forwarded-For. */
  trustProxy?: boolean | number | string;
  /** Clock of the rate limiter, in milliseconds (tests). */
  now?: () => number;
};

export const API_PREFIX = "/v1";
export const API_VERSION = "1.0.0";
const JSON_TYPES = ["application/json", "application/*+json"];
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

const CORE_PATHS: OpenApiPaths = {
  "/health": {
    get: {
      summary: "Liveness probe",
      operationId: "getHealth",
      responses: {
        "200": jsonResponse("The server is up", {
          type: "object",
          required: ["status"],
          properties: { status: { type: "string", const: "ok" } },
        }),
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

/** A body sent with another media type would be silently ignored by the JSON parser; refuse it instead. */
function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (BODY_METHODS.has(req.method) && hasBody && !req.is(JSON_TYPES)) {
    next(new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as JSON with Content-Type: application/json"));
    return;
  }
  next();
}

function requestLog(logger: Logger) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const started = performance.now();
    res.on("finish", () => {
      const ms = Math.round(performance.now() - started);
      logger.debug({ method: req.method, path: req.path, status: res.statusCode, ms }, "request served");
    });
    next();
  };
}

/** 405 with Allow when the path exists under another method, else 404 ROUTE_NOT_FOUND. */
function unknownRoute(app: Express) {
  let routes: { entry: RouteEntry; matches: (path: string) => boolean }[] | undefined;
  return function answerUnknownRoute(req: Request, res: Response, next: NextFunction): void {
    routes ??= listRoutes(app).map((entry) => ({ entry, matches: pathMatcher(entry.path) }));
    const allowed = [...new Set(routes.filter((route) => route.matches(req.path)).map((route) => route.entry.method))];
    if (allowed.length > 0) {
      res.set("Allow", allowed.join(", "));
      next(new ApiError(405, "METHOD_NOT_ALLOWED", `${req.method} is not served on ${req.path}; use ${allowed.join(" or ")}`));
      return;
    }
    next(new ApiError(404, "ROUTE_NOT_FOUND", `no route for ${req.method} ${req.path}; see /openapi.json`));
  };
}

export function createMarketApp(options: MarketAppOptions): Express {
  const logger = options.logger.child({ component: "market-http" });
  const document: OpenApiDocument = buildOpenApiDocument(options.modules, {
    title: "Continuum market API",
    version: API_VERSION,
    description: "Order book, requests, auditing and live feed of the Continuum confidential-compute market.",
    bodyLimitBytes: options.bodyLimitBytes,
    corePaths: CORE_PATHS,
  });
  const limiter = new TokenBucketLimiter({ perMinute: options.rateLimitPerMinute, now: options.now });

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? false);
  app.use(requestLog(logger));
  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use(rateLimitMiddleware(limiter));
  app.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  app.use(requireJsonBody);
  app.use(express.json({ limit: options.bodyLimitBytes, type: JSON_TYPES }));
  for (const module of options.modules) app.use(API_PREFIX, module.router);
  for (const page of options.pages ?? []) app.use(page.path, page.router);
  app.use(unknownRoute(app));
  app.use(errorMiddleware({ logger, bodyLimitBytes: options.bodyLimitBytes }));
  return app;
}
