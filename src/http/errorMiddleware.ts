// The one error path of every Continuum API: each failure leaves as `{ error: { code, message,
// details } }`. Typed errors get the status of the service's table; anything else is a 500.
// Client mistakes are logged at debug, never with a stack; only the server's own faults are errors.
import type { NextFunction, Request, Response } from "express";
import { ContinuumError } from "../core/ContinuumError.ts";
import type { Logger } from "../core/logger.ts";
import { ApiError } from "./ApiError.ts";
import { shellError, type ErrorStatusTable } from "./shellErrors.ts";

export type ErrorMiddlewareOptions = {
  logger: Logger;
  /** The service's codes and statuses, merged with the shell's (mergeErrorTables). */
  errorStatus: ErrorStatusTable;
  /** Turns an error the service recognises (e.g. a database driver's) into one of its typed errors; tried first. */
  translateError?: (error: unknown) => ContinuumError | undefined;
};

/** The answer to send for a thrown value: an ApiError with its status, or undefined for a server fault. */
export function toClientError(error: unknown, errorStatus: ErrorStatusTable, translateError?: ErrorMiddlewareOptions["translateError"]): ApiError | undefined {
  if (error instanceof ApiError) return error;
  const typed = translateError?.(error) ?? (error instanceof ContinuumError ? error : undefined);
  if (typed) {
    const status = errorStatus[typed.code];
    return status === undefined ? undefined : new ApiError(status, typed.code, typed.message, typed.details, { cause: typed });
  }
  if (typeof error !== "object" || error === null) return undefined;
  // Express itself flags request problems it detects (e.g. bad percent-encoding in a path) with a 4xx status.
  const status = (error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return shellError("BAD_REQUEST", "the request is malformed");
  return undefined;
}

/** Name, code, message, stack and cause only: driver errors carry query parameters, which stay out of logs. */
export function describeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const described: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) described.code = code;
  if (error instanceof ContinuumError) described.details = error.details;
  if (error.cause !== undefined && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}

export function errorMiddleware(options: ErrorMiddlewareOptions) {
  const { logger, errorStatus, translateError } = options;
  return function sendError(error: unknown, req: Request, res: Response, next: NextFunction): void {
    const where = { method: req.method, path: req.path };
    if (res.headersSent) {
      // A streamed response already started: nothing can be sent, express closes the connection.
      logger.warn({ ...where, err: describeError(error) }, "error after response started");
      next(error);
      return;
    }
    const clientError = toClientError(error, errorStatus, translateError);
    if (clientError === undefined) {
      logger.error({ ...where, err: describeError(error) }, "unexpected error while serving a request");
      res.status(500).json(shellError("INTERNAL_ERROR", "internal error; the server logged it").toJSON());
      return;
    }
    if (clientError.status >= 500) {
      // The service cannot serve right now (its chain or database is down): worth a warning, the client did nothing wrong.
      logger.warn({ ...where, status: clientError.status, code: clientError.code, err: describeError(clientError.cause ?? clientError) }, "request failed");
    } else {
      logger.debug({ ...where, status: clientError.status, code: clientError.code }, "request refused");
    }
    res.status(clientError.status).json(clientError.toJSON());
  };
}
