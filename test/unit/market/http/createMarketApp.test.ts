// Specification of the market's API on the shared shell (test/unit/http covers the shell itself):
// its typed errors answered with the statuses of its one table, its rate limit, and a document
// that maps every code of that table.
import { PIPELINE_ERROR_STATUS } from "../../../../src/wire/pipelines/index.ts";
import { expect } from "chai";
import express from "express";
import { ChainReadError } from "../../../../src/chain/ChainReadError.ts";
import { silentLogger } from "../../../../src/core/logger.ts";
import { jsonResponse, SHELL_ERROR_STATUS, startHttpServer, type HttpServer, type RouteModule } from "../../../../src/http/index.ts";
import { createMarketApp } from "../../../../src/market/http/createMarketApp.ts";
import { MARKET_ERROR_STATUS } from "../../../../src/market/http/marketErrors.ts";
import { MARKET_ERROR_CODES, MarketError } from "../../../../src/market/MarketError.ts";
import { expectErrorShape, sendRaw } from "../../../helpers/httpEdges.ts";
import { expectRoutesDocumented } from "../../../helpers/openApiCoverage.ts";

function refusingModule(): RouteModule {
  const router = express.Router();
  router.get("/orders/:kind", (req) => {
    throw new MarketError("UNKNOWN_ORDER_KIND", `there are no "${req.params.kind}" orders`, { kind: req.params.kind });
  });
  router.get("/chain", () => {
    throw new ChainReadError("the latest block", new Error("connect ECONNREFUSED 127.0.0.1:8545"));
  });
  return {
    name: "refusals",
    router,
    openapi: {
      paths: {
        "/v1/orders/{kind}": { get: { responses: { "200": jsonResponse("never", { type: "object" }) }, errors: ["UNKNOWN_ORDER_KIND"] } },
        "/v1/chain": { get: { responses: { "200": jsonResponse("never", { type: "object" }) }, errors: ["CHAIN_UNAVAILABLE"] } },
      },
    },
  };
}

describe("market HTTP API", function () {
  let server: HttpServer;
  let app: express.Express;
  let clock = 1_000_000;

  before(async function () {
    app = createMarketApp({ modules: [refusingModule()], bodyLimitBytes: 1_024, rateLimitPerMinute: 4, logger: silentLogger(), now: () => clock });
    server = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
  });

  after(() => server.close());

  it("gives every MarketError code and every pipeline refusal a status in its one table", function () {
    expect(Object.keys(MARKET_ERROR_STATUS)).to.have.members([...MARKET_ERROR_CODES, ...Object.keys(PIPELINE_ERROR_STATUS), "CHAIN_UNAVAILABLE"]);
  });

  it("answers a MarketError with its table's status and its details", async function () {
    const error = expectErrorShape(await sendRaw(`${server.url}/v1/orders/cake`, "GET"), 404, "UNKNOWN_ORDER_KIND");
    expect(error.details).to.deep.equal({ kind: "cake" });
  });

  it("answers the chain's ChainReadError with 503 CHAIN_UNAVAILABLE, without the node's own message", async function () {
    const answer = await sendRaw(`${server.url}/v1/chain`, "GET");
    expect(expectErrorShape(answer, 503, "CHAIN_UNAVAILABLE").details).to.deep.equal({ what: "the latest block" });
    expect(answer.text).not.to.contain("ECONNREFUSED");
  });

  it("maps every code of the shell and the market in its document, with its routes documented", async function () {
    const document = (await sendRaw(`${server.url}/openapi.json`, "GET")).json as { info: { title: string }; "x-error-codes": Record<string, number> };
    expect(document.info.title).to.equal("Continuum market API");
    expect(document["x-error-codes"]).to.deep.equal({ ...SHELL_ERROR_STATUS, ...MARKET_ERROR_STATUS });
    await expectRoutesDocumented(app, server.url);
  });

  it("limits each client to its allowance a minute with 429 RATE_LIMITED", async function () {
    clock += 60_000;
    for (let i = 0; i < 4; i += 1) await sendRaw(`${server.url}/v1/orders/app`, "GET");
    expectErrorShape(await sendRaw(`${server.url}/v1/orders/app`, "GET"), 429, "RATE_LIMITED");
  });
});
