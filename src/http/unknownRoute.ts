// The answer to a request no route takes: 405 METHOD_NOT_ALLOWED with an Allow header when the
// path is served under other methods, else 404 ROUTE_NOT_FOUND; both read the routes the app serves.
import type { Express, NextFunction, Request, Response } from "express";
import { listRoutes, pathMatcher, type RouteEntry } from "./routeList.ts";
import { shellError } from "./shellErrors.ts";

export function unknownRoute(app: Express) {
  let routes: { entry: RouteEntry; matches: (path: string) => boolean }[] | undefined;
  return function answerUnknownRoute(req: Request, res: Response, next: NextFunction): void {
    routes ??= listRoutes(app).map((entry) => ({ entry, matches: pathMatcher(entry.path) }));
    const allowed = [...new Set(routes.filter((route) => route.matches(req.path)).map((route) => route.entry.method))];
    if (allowed.length > 0) {
      res.set("Allow", allowed.join(", "));
      next(shellError("METHOD_NOT_ALLOWED", `${req.method} is not served on ${req.path}; use ${allowed.join(" or ")}`, { method: req.method, allowed }));
      return;
    }
    next(shellError("ROUTE_NOT_FOUND", `no route for ${req.method} ${req.path}; see /openapi.json`, { method: req.method, path: req.path }));
  };
}
