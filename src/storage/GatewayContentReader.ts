// Reads content through an IPFS HTTP gateway (`GET {gateway}/ipfs/{cid}`) for services that hold no
// IPFS node of their own: the first bytes of a file (without downloading the rest), or a whole
// small file checked against its CID.
import { StorageError } from "./errors.ts";
import { verifyContent } from "./verifyContent.ts";

export type GatewayContentReaderOptions = { gatewayUrl: string; timeoutMs?: number; fetch?: typeof fetch };

export class GatewayContentReader {
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: GatewayContentReaderOptions) {
    this.#baseUrl = options.gatewayUrl.replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Up to the first `bytes` bytes of `cid`; the rest of the file is not downloaded. */
  async head(cid: string, bytes: number): Promise<Uint8Array> {
    return this.#read(cid, bytes, "head");
  }

  /** The whole content of `cid`, refused above `maxBytes` and checked to hash to `cid`. */
  async get(cid: string, maxBytes: number): Promise<Uint8Array> {
    const content = await this.#read(cid, maxBytes + 1, "whole");
    if (content.length > maxBytes) throw new StorageError("CONTENT_TOO_LARGE", `the content of ${cid} is larger than ${maxBytes} bytes`, { cid, maxBytes });
    if (!(await verifyContent(cid, content))) {
      throw new StorageError("CONTENT_MISMATCH", `the gateway returned bytes that do not hash to ${cid}`, { cid });
    }
    return content;
  }

  async #read(cid: string, limit: number, what: "head" | "whole"): Promise<Uint8Array> {
    const url = `${this.#baseUrl}/ipfs/${encodeURIComponent(cid)}`;
    let response: Response;
    try {
      response = await this.#fetch(url, { signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (cause) {
      throw new StorageError("STORAGE_UNAVAILABLE", `the IPFS gateway at ${this.#baseUrl} did not answer for ${cid}`, { cid }, { cause });
    }
    if (!response.ok) {
      await response.body?.cancel();
      const code = response.status === 404 || response.status === 504 ? "CONTENT_NOT_FOUND" : "STORAGE_FAILED";
      throw new StorageError(code, `the IPFS gateway answered ${response.status} for ${cid}`, { cid, status: response.status });
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    const reader = response.body?.getReader();
    try {
      while (reader !== undefined && length < limit) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        length += value.length;
      }
    } catch (cause) {
      throw new StorageError("STORAGE_UNAVAILABLE", `the IPFS gateway's answer for ${cid} was cut off`, { cid }, { cause });
    } finally {
      await reader?.cancel().catch(() => undefined);
    }
    const content = Buffer.concat(chunks);
    return what === "head" ? content.subarray(0, limit) : content;
  }
}
