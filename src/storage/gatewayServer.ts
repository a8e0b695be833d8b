// Runs the IPFS gateway router as a standalone HTTP server, for nodes that serve content without
// the market API; `close` also drops open connections so shutdown never hangs on a slow client.
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      const message = `cannot listen on ${host}:${port}`;
      reject(new StorageError("GATEWAY_LISTEN_FAILED", message, { host, port }, { cause: error }));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
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
  const address = await listen(server, host, options.port ?? 0);
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: () => (closing ??= stopServer(server)),
  };
}
