// A real HTTP JSON-RPC endpoint for the in-process chain that can be switched off and on, so a
// JsonRpcProvider pointed at it meets a closed port and later a working node.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { EthereumProvider } from "hardhat/types/providers";

type RpcCall = { id?: unknown; method: string; params?: unknown[] };

export class RpcProxy {
  readonly #chain: EthereumProvider;
  readonly #server: Server;
  #port: number | undefined;

  constructor(chain: EthereumProvider) {
    this.#chain = chain;
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RpcCall | RpcCall[];
        const answer = Array.isArray(body) ? await Promise.all(body.map((call) => this.#answer(call))) : await this.#answer(body);
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(answer));
      });
    });
  }

  /** A free loopback port, found once and reused by every listen(). */
  async reservePort(): Promise<number> {
    await this.listen();
    const port = this.#port!;
    await this.close();
    return port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.listen(this.#port ?? 0, "127.0.0.1", () => {
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #answer(call: RpcCall) {
    try {
      const result = await this.#chain.request({ method: call.method, params: call.params ?? [] });
      return { jsonrpc: "2.0", id: call.id, result };
    } catch (error) {
      const failure = error as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: call.id, error: { code: failure.code ?? -32603, message: failure.message ?? String(error), data: failure.data } };
    }
  }
}
