// Starts and stops the project's HTTP servers (market API, SMS, IPFS gateway) the same way: a bind
// failure becomes the caller's own typed error, and stopping drops open connections so it never waits on a client.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ListeningAddress = {
  /** Base URL, e.g. `http://127.0.0.1:8080` (an IPv6 address in brackets). */
  readonly url: string;
  /** The bound port; the one picked when asked for port 0. */
  readonly port: number;
};

/** Binds `server` to `host:port` (0 picks a free port); a failure to bind rejects with `failure(cause)`. */
export function listen(server: Server, host: string, port: number, failure: (cause: Error) => Error): Promise<ListeningAddress> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(failure(error));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({ url: `http://${urlHost}:${address.port}`, port: address.port });
    });
  });
}

/** Closes `server`, dropping its open connections (live feeds, keep-alive sockets) instead of waiting for them. */
export function stopServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
