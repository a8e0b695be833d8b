// One slice of a service's API: an express router mounted under /v1 and the OpenAPI paths that
// document it. The shell assembles /openapi.json from the modules it mounts, so a route and its
// documentation ship together.
import type { Router } from "express";

/**
 * An OpenAPI 3.1 operation, plus `errors`: every error code the operation itself may answer. The
 * shell turns them into error responses with the statuses of the service's table and adds the
 * codes it answers on every operation (body, rate limit, timeouts, internal error); an operation
 * never writes an error response by hand.
 */
export type OpenApiOperation = Record<string, unknown> & { errors?: readonly string[] };

/** OpenAPI 3.1 path items keyed by their full path (e.g. "/v1/deals/{dealId}"); their operations are OpenApiOperations. */
export type OpenApiPaths = Record<string, Record<string, unknown>>;

export type RouteModule = {
  /** Short name used in logs and as the OpenAPI tag. */
  name: string;
  /** Routes relative to /v1 (a route "/deals" is served at "/v1/deals"). */
  router: Router;
  openapi: { paths: OpenApiPaths; schemas?: Record<string, unknown> };
};
