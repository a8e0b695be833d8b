// The devnet's public JSON-RPC endpoint: an HTTP server in front of the Hardhat node that passes
// reads straight through and sends state-changing calls through the chain recorder, batches
// included (a batch holding any such call runs element by element, in order).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ContinuumError } from "../../core/ContinuumError.ts";
import { listen, stopServer } from "../../http/listen.ts";
import type { Logger } from "../../core/logger.ts";
import { ChainRecorder } from "./chainRecorder.ts";
import type { JsonRpcRequest } from "./jsonRpc.ts";

export type RecordingProxy = { readonly url: string; readonly port: number; close(): Promise<void> };

export async function startRecordingProxy(options: { recorder: ChainRecorder; nodeUrl: string; host: string; port: number; logger?: Logger }): Promise<RecordingProxy> {
  const { recorder, nodeUrl } = options;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger?.error({ err: error }, "the devnet JSON-RPC proxy failed to answer");
      if (!response.headersSent) response.writeHead(502, { "content-type": "application/json" });
      response.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: "the devnet node did not answer" } }));
    });
  });

  // Clients (ethers through Node's keep-alive agent) drop idle sockets after 5 s, the same moment
  // Node's server does by default: a request sent on a socket the server is closing is reset
  // (ECONNRESET, seen under load). Holding idle sockets longer leaves the close to the client.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const parsed = request.method === "POST" ? parseJson(body) : undefined;
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    const recorded = calls.some((call) => isRequest(call) && ChainRecorder.needsRecording(call.method));
    if (!recorded) {
      const upstream = await fetch(nodeUrl, { method: request.method, headers: { "content-type": "application/json" }, body: request.method === "POST" ? body : undefined });
      response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      response.end(Buffer.from(await upstream.arrayBuffer()));
      return;
    }
    const answers = [];
    for (const call of calls) answers.push(await recorder.execute(call as JsonRpcRequest));
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(Array.isArray(parsed) ? answers : answers[0]));
  }

  const address = await listen(server, options.host, options.port, (cause) =>
    new ContinuumError("PORT_IN_USE", `The devnet JSON-RPC endpoint cannot listen on ${options.host}:${options.port}: ${cause.message}`, { host: options.host, port: options.port }, { cause }),
  );
  return { url: address.url, port: address.port, close: () => stopServer(server) };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

function isRequest(value: unknown): value is JsonRpcRequest {
  return typeof value === "object" && value !== null && typeof (value as { method?: unknown }).method === "string";
}
