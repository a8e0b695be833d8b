// HTTP gateway over a ContentStore: GET /ipfs/:cid streams a stored file. By default it answers
// from the local node only, so a request never waits on the network; with `networkFetchMs` it may
// fetch content it lacks from its IPFS peers for that long. Client mistakes get 4xx, never a 500.
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { pipeline } from "node:stream/promises";
import { silentLogger, type Logger } from "../core/logger.ts";
import type { ContentStat, ContentStore } from "./ContentStore.ts";
import { StorageError, type StorageErrorCode } from "./errors.ts";

export interface GatewayRouterOptions {
  /** Deadline for finding the content's root block locally before answering 404. */
  lookupTimeoutMs?: number;
  /** Above 0: content not stored locally is fetched from the node's peers within this many ms. */
  networkFetchMs?: number;
  logger?: Logger;
}

export const DEFAULT_LOOKUP_TIMEOUT_MS = 2_000;

const STATUS_BY_CODE: Partial<Record<StorageErrorCode, number>> = {
  BAD_CID: 400,
  CONTENT_NOT_FOUND: 404,
  NOT_A_FILE: 422,
  STORAGE_STOPPED: 503,
  STORAGE_UNAVAILABLE: 503,
};

/** Content is addressed by its hash, so a response for a CID never changes. */
const CONTENT_HEADERS = {
  "Content-Type": "application/octet-stream",
  "Cache-Control": "public, max-age=31536000, immutable",
  "X-Content-Type-Options": "nosniff",
};

function sendError(res: Response, status: number, code: string, message: string, details?: unknown): void {
  res.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

function sendStorageError(res: Response, error: unknown, logger: Logger): void {
  const status = error instanceof StorageError ? STATUS_BY_CODE[error.code] : undefined;
  if (error instanceof StorageError && status !== undefined && status < 500) {
    sendError(res, status, error.code, error.message, error.details);
    return;
  }
  logger.error({ err: error }, "gateway could not read content");
  if (error instanceof StorageError && status !== undefined) {
    // Details of a backend failure (such as its address) are for logs, not for clients.
    sendError(res, status, error.code, error.message);
    return;
  }
  sendError(res, 500, "INTERNAL", "internal error");
}

async function streamContent(store: ContentStore, stat: ContentStat, res: Response, logger: Logger, fromNetwork: boolean): Promise<void> {
  try {
    // Fed as a plain iterable, a client leaving ends the store's read instead of failing it.
    await pipeline(store.cat(stat.cid, { offline: !fromNetwork }), res);
  } catch (error) {
    // 200 and Content-Length are committed: a cut-off body is the only failure signal left.
    const clientLeft = (error as { code?: unknown }).code === "ERR_STREAM_PREMATURE_CLOSE";
    logger[clientLeft ? "debug" : "warn"]({ err: error, cid: stat.cid }, "gateway response ended early");
    res.destroy();
  }
}

async function serveContent(
  store: ContentStore,
  req: Request<{ cid: string }>,
  res: Response,
  options: Required<GatewayRouterOptions>,
): Promise<void> {
  let stat: ContentStat;
  try {
    const fromNetwork = options.networkFetchMs > 0;
    const signal = AbortSignal.timeout(fromNetwork ? Math.max(options.networkFetchMs, options.lookupTimeoutMs) : options.lookupTimeoutMs);
    stat = await store.stat(req.params.cid, { offline: !fromNetwork, signal });
  } catch (error) {
    sendStorageError(res, error, options.logger);
    return;
  }
  res.status(200).set({ ...CONTENT_HEADERS, "Content-Length": String(stat.size), "X-Ipfs-Path": `/ipfs/${stat.cid}` });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  await streamContent(store, stat, res, options.logger, options.networkFetchMs > 0);
}

/** Malformed requests rejected by express itself (e.g. bad percent-encoding) still get the JSON shape. */
function handleRequestError(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const status = (error as { status?: unknown }).status;
  if (res.headersSent || typeof status !== "number" || status < 400 || status >= 500) {
    next(error);
    return;
  }
  sendError(res, status, "BAD_REQUEST", "malformed request");
}

export function createGatewayRouter(store: ContentStore, options: GatewayRouterOptions = {}): Router {
  const settings = {
    lookupTimeoutMs: options.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS,
    networkFetchMs: options.networkFetchMs ?? 0,
    logger: options.logger ?? silentLogger(),
  };
  const router = express.Router();
  router.get("/ipfs/:cid", (req, res) => serveContent(store, req, res, settings));
  router.use(handleRequestError);
  return router;
}
