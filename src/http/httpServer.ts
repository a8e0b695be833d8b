// Serves an express app on a host and port (0 picks a free one) with the configured timeouts and
// header limit, answering what Node refuses in the error format; `close` also drops open
// connections such as live feeds, so shutdown never waits on a client.
import type { Express } from "express";
import { createServer, type Server } from "node:http";
import { ContinuumError } from "../core/ContinuumError.ts";
import { silentLogger, type Logger } from "../core/logger.ts";
import { answerClientErrors } from "./clientErrors.ts";
import { listen, stopServer } from "./listen.ts";
import { DEFAULT_HTTP_LIMITS, type HttpServerLimits } from "./serverLimits.ts";

export type HttpServer = {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
};

export type HttpServerOptions = { limits?: HttpServerLimits; logger?: Logger };

/** A node:http server for `app`, not yet listening. */
export function createHttpServer(app: Express, options: HttpServerOptions = {}): Server {
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node checks the two timeouts on this interval (30 s by default), which would stretch a 10 s limit to 40 s.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    app,
  );
  answerClientErrors(server, { maxHeaderBytes: limits.maxHeaderBytes, logger: options.logger ?? silentLogger() });
  return server;
}

export async function startHttpServer(app: Express, options: { host: string; port: number } & HttpServerOptions): Promise<HttpServer> {
  const server = createHttpServer(app, options);
  const { host, port } = options;
  const address = await listen(
    server,
    host,
    port,
    (cause) => new ContinuumError("HTTP_LISTEN_FAILED", `cannot listen on ${host}:${port}: ${cause.message}`, { host, port }, { cause }),
  );
  let closing: Promise<void> | undefined;
  return { ...address, server, close: () => (closing ??= stopServer(server)) };
}
