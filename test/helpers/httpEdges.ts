// Test helper: the malformed requests every Continuum API must refuse in the error format (a
// corrupt or unknown Content-Encoding, a non-UTF-8 charset, a body that is not JSON), sent
// byte for byte with node:http, and the check of the answer's shape.
import { expect } from "chai";
import { request } from "node:http";
import { brotliCompressSync, deflateSync, gzipSync, zstdCompressSync } from "node:zlib";

export type RawAnswer = { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: unknown };

export type BodyEdgeCase = { name: string; headers: Record<string, string>; body: string | Buffer; status: number; code: string };

const JSON_TYPE = { "content-type": "application/json" };

/** Bodies that are not what they claim to be: each must answer `status` with `code`, never a 500. */
export const BODY_EDGE_CASES: readonly BodyEdgeCase[] = [
  ...["gzip", "deflate", "br", "zstd"].map((encoding) => ({
    name: `a corrupt ${encoding} body`,
    headers: { ...JSON_TYPE, "content-encoding": encoding },
    body: "{}",
    status: 400,
    code: "MALFORMED_BODY",
  })),
  { name: "an unknown Content-Encoding", headers: { ...JSON_TYPE, "content-encoding": "bogus" }, body: "{}", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
  ...["latin1", "koi8-r", "utf-16"].map((charset) => ({
    name: `JSON in charset ${charset}`,
    headers: { "content-type": `application/json; charset=${charset}` },
    body: "{}",
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
  })),
  { name: "a text/plain body", headers: { "content-type": "text/plain" }, body: "hello", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
  { name: "malformed JSON", headers: JSON_TYPE, body: "{not json", status: 400, code: "MALFORMED_JSON" },
];

/** `{}` under each encoding the shell decodes, for the check that valid encoded bodies still reach the route. */
export const ENCODED_EMPTY_OBJECT: Readonly<Record<string, Buffer>> = {
  gzip: gzipSync("{}"),
  deflate: deflateSync("{}"),
  br: brotliCompressSync("{}"),
  zstd: zstdCompressSync("{}"),
};

/** One request with exactly these headers and body bytes (fetch would normalise some of them). */
export function sendRaw(url: string, method: string, headers: Record<string, string> = {}, body: string | Buffer = ""): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const outgoing = request(url, { method, headers: { ...headers, "content-length": String(bytes.length) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, json });
      });
    });
    outgoing.on("error", reject);
    outgoing.end(bytes);
  });
}

/** The answer is `status` in the one error format with `code`, and `details` is an object. */
export function expectErrorShape(answer: RawAnswer, status: number, code: string, where = ""): { code: string; message: string; details: Record<string, unknown> } {
  expect(answer.status, `${where} status (${answer.text.slice(0, 200)})`).to.equal(status);
  expect(answer.headers["content-type"], `${where} content type`).to.match(/^application\/json/);
  const error = (answer.json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  expect(error?.code, `${where} code`).to.equal(code);
  expect(error?.message, `${where} message`).to.be.a("string").and.not.equal("");
  expect(error?.details, `${where} details`).to.be.an("object");
  return error as { code: string; message: string; details: Record<string, unknown> };
}
