// startHttpServer: an express app on a real loopback port with the configured limits. What Node
// refuses before express runs (headers too large, a slow client, bytes that are not HTTP) is
// answered in the error format on the raw socket, then the connection closes.
import { expect } from "chai";
import express from "express";
import { connect } from "node:net";
import { ContinuumError } from "../../../src/core/ContinuumError.ts";
import { startHttpServer, type HttpServer } from "../../../src/http/httpServer.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";

/** Writes `chunks` on a fresh connection, leaving it open, and reads until the server closes it. */
function exchange(port: number, chunks: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    let received = "";
    socket.on("data", (data) => (received += data.toString("latin1")));
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
  });
}

/** The status and the JSON error of a raw HTTP/1.1 response. */
function parse(raw: string): { status: number; headers: string; error: { code: string; message: string; details: Record<string, unknown> } } {
  const [head, body] = raw.split("\r\n\r\n");
  return { status: Number(head.split(" ")[1]), headers: head.toLowerCase(), error: (JSON.parse(body) as { error: never }).error };
}

describe("startHttpServer", () => {
  it("serves the app at its URL and refuses a port in use with HTTP_LISTEN_FAILED", async () => {
    const app = express().get("/ping", (_req, res) => void res.send("pong"));
    const running = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
    try {
      expect(await (await fetch(`${running.url}/ping`)).text()).to.equal("pong");
      await rejectionOf(ContinuumError, startHttpServer(app, { host: "127.0.0.1", port: running.port }), "HTTP_LISTEN_FAILED");
    } finally {
      await running.close();
    }
  });

  describe("what Node refuses before the app", function () {
    let server: HttpServer;

    before(async function () {
      const app = express();
      app.get("/ping", (_req, res) => void res.json({ pong: true }));
      // Reads the body, so a slow body keeps the request open until the request timeout.
      app.post("/ping", (req, res) => {
        req.resume();
        req.on("end", () => void res.json({ pong: true }));
      });
      server = await startHttpServer(app, {
        host: "127.0.0.1",
        port: 0,
        limits: { headersTimeoutMs: 200, requestTimeoutMs: 400, maxHeaderBytes: 2_048 },
      });
    });

    after(() => server.close());

    it("answers headers over maxHeaderBytes with 431 HEADERS_TOO_LARGE in the error format (Node's own is a bare status line)", async function () {
      const raw = await exchange(server.port, [`GET /ping HTTP/1.1\r\nHost: x\r\nX-Padding: ${"a".repeat(4_096)}\r\n\r\n`]);
      const answer = parse(raw);
      expect(answer.status).to.equal(431);
      expect(answer.headers).to.include("content-type: application/json").and.include("connection: close");
      expect(answer.error).to.deep.equal({ code: "HEADERS_TOO_LARGE", message: "the request line and headers exceed 2048 bytes", details: { limitBytes: 2_048 } });
    });

    it("answers headers that never end with 408 REQUEST_TIMEOUT", async function () {
      const answer = parse(await exchange(server.port, ["GET /ping HTTP/1.1\r\nHost: x\r\n"]));
      expect(answer.status).to.equal(408);
      expect(answer.error.code).to.equal("REQUEST_TIMEOUT");
      expect(answer.error.details).to.deep.equal({});
    });

    it("answers a body that never arrives with 408 REQUEST_TIMEOUT", async function () {
      const answer = parse(await exchange(server.port, ["POST /ping HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"]));
      expect(answer.status).to.equal(408);
      expect(answer.error.code).to.equal("REQUEST_TIMEOUT");
    });

    it("answers bytes that are not HTTP with 400 BAD_REQUEST", async function () {
      const answer = parse(await exchange(server.port, ["NOT HTTP AT ALL\r\n\r\n"]));
      expect(answer.status).to.equal(400);
      expect(answer.error.code).to.equal("BAD_REQUEST");
      expect(answer.error.details).to.have.property("parser").that.matches(/^HPE_/);
    });

    it("answers in the error format on a kept-alive connection after a served request", async function () {
      const raw = await exchange(server.port, [
        "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n",
        `GET /ping HTTP/1.1\r\nHost: x\r\nX-Padding: ${"a".repeat(4_096)}\r\n\r\n`,
      ]);
      const second = raw.slice(raw.indexOf("HTTP/1.1", 1));
      expect(raw.startsWith("HTTP/1.1 200")).to.equal(true);
      expect(parse(second).error.code).to.equal("HEADERS_TOO_LARGE");
    });
  });
});
