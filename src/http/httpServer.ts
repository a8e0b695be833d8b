// Serves an express app on a host and port (0 picks a free one); `close` also drops open
// connections such as live feeds, so shutdown never waits on a client.
import type { Express } from "express";
import { createServer, type Server } from "node:http";
import { ContinuumError } from "../core/ContinuumError.ts";
import { listen, stopServer } from "./listen.ts";

export type HttpServer = {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
};

export async function startHttpServer(app: Express, options: { host: string; port: number }): Promise<HttpServer> {
  const server = createServer(app);
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
