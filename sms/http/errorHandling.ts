// Turns every failure into `{ error: { code, message, details } }`: client mistakes (bad JSON,
// oversized bodies, invalid fields) as 4xx, an unreachable chain as 503, and only our own faults
// as 500. Request bodies are never echoed or logged: they may carry secrets.
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ChainReadError } from "../../src/chain/dealReader.ts";
import type { Logger } from "../../src/core/logger.ts";
import { ApiError } from "../../src/http/ApiError.ts";
import { PersistenceError } from "../../src/persistence/PersistenceError.ts";

/** Errors body-parser raises for what the client sent, by their `type`. */
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  "entity.parse.failed": { status: 400, code: "INVALID_JSON", message: "the request body is not valid JSON" },
  "entity.too.large": { status: 413, code: "BODY_TOO_LARGE", message: "the request body is too large" },
  "encoding.unsupported": { status: 415, code: "UNSUPPORTED_ENCODING", message: "unsupported content encoding" },
  "charset.unsupported": { status: 415, code: "UNSUPPORTED_CHARSET", message: "unsupported charset" },
  "request.aborted": { status: 400, code: "REQUEST_ABORTED", message: "the request was aborted" },
  "request.size.invalid": { status: 400, code: "INVALID_REQUEST", message: "the request size does not match its length" },
};

export function routeNotFound(): RequestHandler {
  return (req, res) => {
    res.status(404).json(new ApiError(404, "ROUTE_NOT_FOUND", `no route for ${req.method} ${req.path}`).toJSON());
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = toApiError(error);
    if (answer.status >= 500) {
      logger.error({ err: describe(error), method: req.method, path: req.path }, "request failed");
    }
    res.status(answer.status).json(answer.toJSON());
  };
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const bodyError = typeof error === "object" && error !== null ? BODY_ERRORS[(error as { type?: string }).type ?? ""] : undefined;
  if (bodyError) return new ApiError(bodyError.status, bodyError.code, bodyError.message);
  if (error instanceof ChainReadError) return new ApiError(503, error.code, "the SMS cannot read the chain right now; retry later");
  if (error instanceof PersistenceError || isConnectionError(error)) {
    return new ApiError(503, "DATABASE_UNAVAILABLE", "the SMS database is unavailable; retry later");
  }
  return new ApiError(500, "INTERNAL", "internal error");
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNREFUSED" || code === "ECONNRESET" || code === "57P01" || code === "53300";
}

/** Name, code, message and stack only: driver errors carry query parameters, which stay out of logs. */
function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  return { name: error.name, code: (error as { code?: unknown }).code, message: error.message, stack: error.stack };
}
