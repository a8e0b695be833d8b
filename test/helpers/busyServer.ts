// A real HTTP server on loopback that plays a script: each request gets the next scripted answer
// (a status, headers, a JSON body), the last one repeating; every request it saw is kept with its
// time, so tests see how a client paced its retries.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ScriptedAnswer = { status: number; headers?: Record<string, string>; body?: unknown };
export type SeenRequest = { method: string; url: string; headers: IncomingHttpHeaders; body: string; at: number };

export type BusyServer = { url: string; seen: SeenRequest[]; close(): Promise<void> };

/** Answers by path prefix: the first `routes` key that prefixes the URL plays its script. */
export async function startBusyServer(routes: Record<string, ScriptedAnswer[]>): Promise<BusyServer> {
  const seen: SeenRequest[] = [];
  const played = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = request.url ?? "/";
      seen.push({ method: request.method ?? "GET", url, headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), at: performance.now() });
      const route = Object.keys(routes).find((prefix) => url.startsWith(prefix));
      const script = route === undefined ? [{ status: 404, body: { error: { code: "ROUTE_NOT_FOUND", message: "no route", details: {} } } }] : routes[route]!;
      const index = played.get(route ?? "") ?? 0;
      played.set(route ?? "", index + 1);
      const answer = script[Math.min(index, script.length - 1)]!;
      response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      response.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The shell's 429 answer, as the market, the SMS and the scheduler send it. */
export function rateLimited(retryAfterSeconds: number): ScriptedAnswer {
  return {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) },
    body: { error: { code: "RATE_LIMITED", message: `too many requests from this client; retry in ${retryAfterSeconds} s`, details: { retryAfterSeconds } } },
  };
}
