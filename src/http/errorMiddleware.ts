// The market API's one error path: every failure leaves as `{ error: { code, message, details } }`.
// Client mistakes keep their 4xx; anything unexpected is logged and answered 500 with no detail.
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../core/logger.ts";
import { ApiError } from "./ApiError.ts";

export type ErrorMiddlewareOptions = { logger: Logger; bodyLimitBytes: number };

/** Errors raised by express's JSON body parser carry a `type`; these are the client's doing. */
function bodyParserError(error: { type?: unknown }, bodyLimitBytes: number): ApiError | undefined {
  switch (error.type) {
    case "entity.too.large":
      return new ApiError(413, "BODY_TOO_LARGE", `request body is larger than ${bodyLimitBytes} bytes`, {
        limitBytes: bodyLimitBytes,
      });
    case "entity.parse.failed":
      return new ApiError(400, "MALFORMED_JSON", "request body is not valid JSON");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as UTF-8 JSON (Content-Type: application/json)");
    case "request.aborted":
    case "request.size.invalid":
      return new ApiError(400, "BAD_REQUEST", "the request body ended before its announced length");
    default:
      return undefined;
  }
}

/** Maps any thrown value to the ApiError sent to the client, or undefined for a server fault. */
export function toClientError(error: unknown, bodyLimitBytes: number): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (typeof error !== "object" || error === null) return undefined;
  const parsed = bodyParserError(error as { type?: unknown }, bodyLimitBytes);
  if (parsed) return parsed;
  // Express itself flags request problems it detects (e.g. bad percent-encoding in a path) with a 4xx status.
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new ApiError(400, "BAD_REQUEST", "the request is malformed");
  }
  return undefined;
}

export function errorMiddleware(options: ErrorMiddlewareOptions) {
  const logger = options.logger;
  return function sendError(error: unknown, req: Request, res: Response, next: NextFunction): void {
    const clientError = toClientError(error, options.bodyLimitBytes);
    if (res.headersSent) {
      // A streamed response already started: nothing can be sent, express closes the connection.
      logger.warn({ err: error, method: req.method, path: req.path }, "error after response started");
      next(error);
      return;
    }
    if (clientError) {
      if (clientError.status >= 500) logger.warn({ err: clientError, method: req.method, path: req.path }, "request failed");
      res.status(clientError.status).json(clientError.toJSON());
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, "unexpected error while serving a request");
    res.status(500).json({ error: { code: "INTERNAL_ERROR", message: "internal error; the server logged it" } });
  };
}
