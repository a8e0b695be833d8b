// Maps every failure to `{ error: { code, message, details } }` with a status: the scheduler's
// typed errors by code, body-parser's by type, anything else as a 500 logged without the body.
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "../../src/core/logger.ts";
import { SchedulerError, type SchedulerErrorCode } from "../SchedulerError.ts";

/** The HTTP status of each code a route may answer with; the OpenAPI document is built from it too. */
export const SCHEDULER_ERROR_STATUS: Partial<Record<SchedulerErrorCode, number>> = {
  INVALID_REQUEST: 400,
  INVALID_TRANSITION: 409,
  TRANSITION_CONFLICT: 409,
  ENCLAVE_ALREADY_AUTHORIZED: 409,
  NOT_ASSIGNED: 409,
  BAD_RESULT: 422,
  BAD_SIGNATURE: 401,
  STALE_REQUEST: 401,
  TASK_NOT_FOUND: 404,
  WORKER_NOT_FOUND: 404,
};

export const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  "entity.parse.failed": { status: 400, code: "INVALID_JSON", message: "the request body is not valid JSON" },
  "entity.too.large": { status: 413, code: "BODY_TOO_LARGE", message: "the request body is too large" },
};

export function routeNotFound(): RequestHandler {
  return (req, res) => {
    res.status(404).json({ error: { code: "ROUTE_NOT_FOUND", message: `no route for ${req.method} ${req.path}` } });
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof SchedulerError) {
      res.status(SCHEDULER_ERROR_STATUS[error.code] ?? 500).json(error.toJSON());
      return;
    }
    const bodyError = BODY_ERRORS[(error as { type?: string } | null)?.type ?? ""];
    if (bodyError) {
      res.status(bodyError.status).json({ error: { code: bodyError.code, message: bodyError.message } });
      return;
    }
    logger.error({ err: { message: (error as Error)?.message, stack: (error as Error)?.stack }, method: req.method, path: req.path }, "request failed");
    res.status(500).json({ error: { code: "INTERNAL", message: "internal error" } });
  };
}
