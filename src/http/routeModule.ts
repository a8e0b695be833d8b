// One slice of the market API: an express router mounted under /v1 and the OpenAPI paths that
// document it. The server assembles /openapi.json from the modules it mounts, so a route and
// its documentation ship together.
import type { Router } from "express";

/** OpenAPI 3.1 path items keyed by their full path (e.g. "/v1/deals/{dealId}"). */
export type OpenApiPaths = Record<string, Record<string, unknown>>;

export type RouteModule = {
  /** Short name used in logs and as the OpenAPI tag. */
  name: string;
  /** Routes relative to /v1 (a route "/deals" is served at "/v1/deals"). */
  router: Router;
  openapi: { paths: OpenApiPaths; schemas?: Record<string, unknown> };
};
