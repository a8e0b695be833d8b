// Reads the routes an express app really serves by walking its router stacks, and the operations an
// OpenAPI document lists, so coverage checks and the market's 405 answer follow the code, not a hand-kept list.
import type { Express, Router } from "express";

/** A served route: upper-case method and the express path (e.g. "/v1/orders/:kind"). */
export type RouteEntry = { method: string; path: string };

type StackLayer = {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
  rawPath?: unknown;
};

function joinPath(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, "/");
  return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
}

function walk(stack: readonly StackLayer[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route && typeof layer.route.path === "string") {
      for (const [method, enabled] of Object.entries(layer.route.methods)) {
        if (enabled && method !== "_all") out.push({ method: method.toUpperCase(), path: joinPath(prefix, layer.route.path) });
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === "string" ? layer.rawPath : "";
      walk(layer.handle.stack, joinPath(prefix, mount), out);
    }
  }
}

/** Every (method, path) served by `app` or a router, mounted routers included. */
export function listRoutes(app: Express | Router): RouteEntry[] {
  const router = "router" in app && (app as Express).router ? (app as Express).router : (app as Router);
  const out: RouteEntry[] = [];
  walk((router as unknown as { stack: StackLayer[] }).stack, "", out);
  return out;
}

/** "/v1/orders/:kind" -> "/v1/orders/{kind}", the OpenAPI spelling of the same path. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

/**
 * A matcher for a plain express path (literal segments and `:name` parameters, the only forms the
 * project's routes use); paths with other syntax never match.
 */
export function pathMatcher(expressPath: string): (path: string) => boolean {
  if (/[*?()[\]{}]/.test(expressPath)) return () => false;
  const source = expressPath
    .split("/")
    .map((segment) => (segment.startsWith(":") ? "[^/]+" : segment.replace(/[.+^$|\\]/g, "\\$&")))
    .join("/");
  const pattern = new RegExp(`^${source}/?$`);
  return (path) => pattern.test(path);
}

/** The keys of an OpenAPI path item that name operations. */
export const OPENAPI_METHODS: ReadonlySet<string> = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Every operation a document lists, as "METHOD /path" (OpenAPI path spelling). */
export function documentedOperations(document: { paths: Record<string, object> }): string[] {
  const operations: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const key of Object.keys(item)) if (OPENAPI_METHODS.has(key)) operations.push(`${key.toUpperCase()} ${path}`);
  }
  return operations;
}
