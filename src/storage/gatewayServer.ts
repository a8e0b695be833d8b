// Runs the IPFS gateway router as a standalone HTTP server, for nodes that serve content without
// the market API; `close` also drops open connections so shutdown never hangs on a slow client.
import express from "express";
import { createServer } from "node:http";
import { listen, stopServer } from "../http/listen.ts";
import type { ContentStore } from "./ContentStore.ts";
import { StorageError } from "./errors.ts";
import { createGatewayRouter, type GatewayRouterOptions } from "./gatewayRouter.ts";

export interface GatewayServerOptions extends GatewayRouterOptions {
  /** Interface to bind; loopback unless the gateway is meant to be public. */
  host?: string;
  /** Port to bind; 0 picks a free one (read it back from `port`). */
  port?: number;
}

export interface GatewayServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`; content is at `${url}/ipfs/<cid>`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function createGatewayServer(
  store: ContentStore,
  options: GatewayServerOptions = {},
): Promise<GatewayServer> {
  const host = options.host ?? "127.0.0.1";
  const app = express();
  app.disable("x-powered-by");
  app.use(createGatewayRouter(store, options));
  app.use((req, res) => {
    res.status(404).json({ error: { code: "ROUTE_NOT_FOUND", message: `no route for ${req.method} ${req.path}` } });
  });
  const server = createServer(app);
  const port = options.port ?? 0;
  const address = await listen(
    server,
    host,
    port,
    (cause) => new StorageError("GATEWAY_LISTEN_FAILED", `cannot listen on ${host}:${port}`, { host, port }, { cause }),
  );
  let closing: Promise<void> | undefined;
  return { ...address, close: () => (closing ??= stopServer(server)) };
}
