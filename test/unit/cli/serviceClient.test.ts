// The clients of Continuum's services outlast a busy server, over real HTTP on loopback: the CLI's
// ServiceClient against the shared HTTP shell's own rate limiter, the worker's SchedulerClient
// (each attempt signed afresh) and the enclave's HttpSecretsClient against servers answering 429
// with Retry-After, then 200.
import { expect } from "chai";
import express from "express";
import { Wallet } from "ethers";
import { ServiceClient } from "../../../src/cli/serviceClient.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { createHttpApp, jsonResponse, startHttpServer, type HttpServer } from "../../../src/http/index.ts";
import { SchedulerClient } from "../../../worker/SchedulerClient.ts";
import { HttpSecretsClient } from "../../../enclave/HttpSecretsClient.ts";
import { SIGNATURE_HEADER } from "../../../src/wire/workerApi/workerRequestSignature.ts";
import { rateLimited, startBusyServer, type BusyServer } from "../../helpers/busyServer.ts";

describe("clients of a busy service", function () {
  this.timeout(20_000);

  describe("the CLI's ServiceClient against the HTTP shell's rate limiter", function () {
    let server: HttpServer;
    let served = 0;

    before(async () => {
      const router = express.Router();
      router.get("/deals/:id", (req, res) => {
        served += 1;
        res.json({ dealId: req.params.id });
      });
      const app = createHttpApp({
        title: "deals",
        version: "1.0.0",
        description: "A rate-limited service.",
        modules: [{ name: "deals", router, openapi: { paths: { "/v1/deals/{id}": { get: { responses: { "200": jsonResponse("a deal", { type: "object" }) } } } } } }],
        errorStatus: {},
        bodyLimitBytes: 1_024,
        // One request a second sustained, a burst of 60.
        rateLimitPerMinute: 60,
        logger: silentLogger(),
      });
      server = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
    });

    after(() => server.close());

    it("waits out the 429 the shell answers once the burst is spent, and gets its answer", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 61; i += 1) statuses.push((await fetch(`${server.url}/v1/deals/${i}`)).status);
      expect(statuses.slice(0, 60).every((status) => status === 200)).to.equal(true);
      expect(statuses[60]).to.equal(429);
      const client = new ServiceClient("market", server.url);
      const startedAt = performance.now();
      expect(await client.get("/deals/7")).to.deep.equal({ dealId: "7" });
      expect(performance.now() - startedAt).to.be.at.least(500);
      expect(served).to.equal(61);
    });

    it("reports RATE_LIMITED when the service stays busy past its attempts", async () => {
      const busy = await startBusyServer({ "/v1": [rateLimited(0)] });
      try {
        const client = new ServiceClient("market", busy.url, { retry: { maxAttempts: 2 } });
        let failure: { code?: string; details?: Record<string, unknown> } | undefined;
        await client.get("/deals/1").catch((error: unknown) => (failure = error as typeof failure));
        expect(failure?.code).to.equal("RATE_LIMITED");
        expect(failure?.details?.status).to.equal(429);
        expect(busy.seen).to.have.length(2);
      } finally {
        await busy.close();
      }
    });
  });

  describe("the worker's SchedulerClient", function () {
    let busy: BusyServer;

    afterEach(() => busy.close());

    it("registers after a 429, signing the retried request afresh", async () => {
      const key = Wallet.createRandom();
      busy = await startBusyServer({
        "/v1/info": [{ status: 200, body: { workerpool: "1", workerpoolOwner: Wallet.createRandom().address, chainId: "31337", continuum: Wallet.createRandom().address, heartbeatIntervalMs: 5_000 } }],
        "/v1/workers": [rateLimited(1), { status: 201, body: { address: key.address } }],
      });
      const client = new SchedulerClient(busy.url, key);
      await client.info();
      await client.register({ cpu: 1, memoryMb: 1_024, tee: true, gpu: 0 });
      const registrations = busy.seen.filter((request) => request.url === "/v1/workers");
      expect(registrations).to.have.length(2);
      expect(registrations[1]!.at - registrations[0]!.at).to.be.at.least(990);
      const signatures = registrations.map((request) => request.headers[SIGNATURE_HEADER]);
      expect(signatures[0]).to.be.a("string");
      expect(signatures[1]).to.be.a("string").and.not.equal(signatures[0]);
    });
  });

  describe("the enclave's HttpSecretsClient", function () {
    let busy: BusyServer;

    afterEach(() => busy.close());

    it("gets its challenge after the SMS answered 429 TOO_MANY_CHALLENGES with Retry-After", async () => {
      const nonce = `0x${"ab".repeat(32)}`;
      busy = await startBusyServer({
        "/v1/challenges": [
          { status: 429, headers: { "retry-after": "1" }, body: { error: { code: "TOO_MANY_CHALLENGES", message: "too many open challenges", details: {} } } },
          { status: 201, body: { nonce, expiresAt: new Date().toISOString(), ttlSeconds: 300 } },
        ],
      });
      const client = new HttpSecretsClient({ baseUrl: busy.url });
      expect(Buffer.from(await client.freshnessNonce(AbortSignal.timeout(10_000))).toString("hex")).to.equal("ab".repeat(32));
      expect(busy.seen).to.have.length(2);
    });
  });
});
