// startHttpServer: the market's express app on a real loopback port, and its refusal of a busy one.
import { expect } from "chai";
import express from "express";
import { ContinuumError } from "../../../src/core/ContinuumError.ts";
import { startHttpServer } from "../../../src/http/httpServer.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";

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
});
