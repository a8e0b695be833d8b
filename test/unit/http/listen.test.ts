// The one way the market, the SMS and the IPFS gateway bind and stop their HTTP servers: real
// servers on loopback, a real busy port, a real open connection.
import { expect } from "chai";
import { createServer, request } from "node:http";
import { ContinuumError } from "../../../src/core/ContinuumError.ts";
import { listen, stopServer, type ListeningAddress } from "../../../src/http/listen.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";

const failure = (cause: Error) => new ContinuumError("TEST_LISTEN_FAILED", cause.message, undefined, { cause });

describe("listen and stopServer", () => {
  it("binds a free port when asked for port 0 and answers with its URL", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    const address = await listen(server, "127.0.0.1", 0, failure);
    try {
      expect(address.port).to.be.above(0);
      expect(address.url).to.equal(`http://127.0.0.1:${address.port}`);
      expect(await (await fetch(address.url)).text()).to.equal("ok");
    } finally {
      await stopServer(server);
    }
  });

  it("writes an IPv6 host in brackets", async function () {
    const server = createServer();
    let address: ListeningAddress;
    try {
      address = await listen(server, "::1", 0, failure);
    } catch {
      this.skip(); // no IPv6 loopback on this machine
    }
    try {
      expect(address.url).to.equal(`http://[::1]:${address.port}`);
    } finally {
      await stopServer(server);
    }
  });

  it("rejects with the caller's typed error when the port is taken", async () => {
    const first = createServer();
    const { port } = await listen(first, "127.0.0.1", 0, failure);
    try {
      const error = await rejectionOf(ContinuumError, listen(createServer(), "127.0.0.1", port, failure), "TEST_LISTEN_FAILED");
      expect(error.cause).to.have.property("code", "EADDRINUSE");
    } finally {
      await stopServer(first);
    }
  });

  it("stops without waiting for a client that keeps its connection open", async () => {
    const server = createServer((_req, res) => res.write("first chunk of an endless feed"));
    const { port } = await listen(server, "127.0.0.1", 0, failure);
    const stopped = await new Promise<Promise<void>>((resolve, reject) => {
      request({ host: "127.0.0.1", port }, (res) => res.once("data", () => resolve(stopServer(server))))
        .on("error", reject)
        .end();
    });
    await stopped;
    expect(server.listening).to.equal(false);
  });
});
