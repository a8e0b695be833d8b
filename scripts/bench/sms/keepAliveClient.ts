// The benchmark's HTTP client for POST /v1/sessions: node:http over a keep-alive agent, one socket
// per request in flight, bodies sent as prepared JSON text. It costs the measuring process far less
// than fetch, so the HTTP figure is mostly the server's own work, as it is for a remote enclave.
import { Agent, request } from "node:http";

export type PostedJson = { status: number; body: unknown; text: string };

export type KeepAliveClient = {
  /** POSTs `json` (JSON text) to `path` under the base URL; resolves with the status and the parsed body. */
  post(path: string, json: string): Promise<PostedJson>;
  close(): void;
};

export function keepAliveClient(baseUrl: string, sockets: number): KeepAliveClient {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return {
    post: (path, json) =>
      new Promise((resolve, reject) => {
        const outgoing = request(
          new URL(path, baseUrl),
          { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(json) } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", reject);
            response.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              let body: unknown;
              try {
                body = JSON.parse(text);
              } catch {
                body = undefined;
              }
              resolve({ status: response.statusCode ?? 0, body, text });
            });
          },
        );
        outgoing.on("error", reject);
        outgoing.end(json);
      }),
    close: () => agent.destroy(),
  };
}
