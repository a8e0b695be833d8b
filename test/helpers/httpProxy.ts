// A real HTTP proxy on loopback in front of a service: it forwards every request (streams
// included, such as the market's live feed), counts the requests by path, and can refuse chosen
// paths with a status of its own, so tests see how a client behaves when one route is down.
import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ProxyRefusal = { status: number; headers?: Record<string, string> };

export type HttpProxy = {
  url: string;
  /** Requests seen, by path (query string left out), refused ones included. */
  count(path: string | RegExp): number;
  /** Answers requests whose path matches `path` with `refusal` (undefined: forward them again). */
  refuse(path: RegExp | undefined, refusal?: ProxyRefusal): void;
  /** Cuts every connection in flight (a stream included), as a network fault would. */
  cut(): void;
  close(): Promise<void>;
};

export async function startHttpProxy(target: string): Promise<HttpProxy> {
  const upstream = new URL(target);
  const seen: string[] = [];
  let refused: { path: RegExp; refusal: ProxyRefusal } | undefined;
  const open = new Set<import("node:http").ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    seen.push(path);
    if (refused?.path.test(path)) {
      const body = JSON.stringify({ error: { code: "SERVICE_UNAVAILABLE", message: "refused by the test proxy", details: {} } });
      res.writeHead(refused.refusal.status, { "content-type": "application/json", ...refused.refusal.headers });
      res.end(body);
      return;
    }
    open.add(res);
    res.on("close", () => open.delete(res));
    const outgoing = forward(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    outgoing.on("error", () => res.destroy());
    res.on("close", () => outgoing.destroy());
    req.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: (path) => seen.filter((entry) => (typeof path === "string" ? entry === path : path.test(entry))).length,
    refuse: (path, refusal = { status: 503 }) => void (refused = path === undefined ? undefined : { path, refusal }),
    cut: () => {
      for (const res of open) res.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
