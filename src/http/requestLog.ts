// One debug line per request served: method, path, status and time taken; never a header or a body.
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../core/logger.ts";

export function requestLog(logger: Logger) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const started = performance.now();
    res.on("finish", () => {
      const ms = Math.round(performance.now() - started);
      logger.debug({ method: req.method, path: req.path, status: res.statusCode, ms }, "request served");
    });
    next();
  };
}
