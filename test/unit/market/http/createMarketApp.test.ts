// Specification of the market HTTP shell over real HTTP on loopback: modules under /v1, one error
// format, body limits, malformed JSON, media types, per-client rate limits, 404/405, and an
// OpenAPI document that matches the routes served.
import { expect } from "chai";
import express from "express";
import { silentLogger } from "../../../../src/core/logger.ts";
import { ApiError, buildOpenApiDocument, errorResponse, jsonRequestBody, jsonResponse, startHttpServer, type HttpServer, type RouteModule } from "../../../../src/http/index.ts";
import { createMarketApp } from "../../../../src/market/http/createMarketApp.ts";
import { expectRoutesDocumented } from "../../../helpers/openApiCoverage.ts";

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

function echoModule(): RouteModule {
  const router = express.Router();
  router.post("/echo", (req, res) => {
    res.json({ received: req.body });
  });
  router.get("/items/:id", (req, res) => {
    if (req.params.id === "missing") throw new ApiError(404, "ITEM_NOT_FOUND", "no such item", { id: "missing" });
    res.json({ id: req.params.id });
  });
  router.get("/boom", async () => {
    throw new Error("database password is hunter2");
  });
  return {
    name: "echo",
    router,
    openapi: {
      paths: {
        "/v1/echo": {
          post: { requestBody: jsonRequestBody({ type: "object" }), responses: { "200": jsonResponse("echo", { type: "object" }) } },
        },
        "/v1/items/{id}": {
          get: { responses: { "200": jsonResponse("item", { $ref: "#/components/schemas/Item" }), "404": errorResponse("missing") } },
        },
        "/v1/boom": { get: { responses: { "200": jsonResponse("never", { type: "object" }) } } },
      },
      schemas: { Item: { type: "object", properties: { id: { type: "string" } } } },
    },
  };
}

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  expect(response.headers.get("content-type")).to.match(/^application\/json/);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).to.be.a("string");
  expect(body.error.message).to.be.a("string").and.not.equal("");
  return body.error;
}

function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

describe("market HTTP shell", function () {
  let server: HttpServer;
  let app: express.Express;
  let clock = 0;

  before(async function () {
    app = createMarketApp({
      modules: [echoModule()],
      bodyLimitBytes: 1_024,
      rateLimitPerMinute: 1_000,
      logger: silentLogger(),
    });
    server = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
  });

  after(() => server.close());

  it("serves a module's routes under /v1 with parsed JSON bodies", async function () {
    const response = await postJson(`${server.url}/v1/echo`, JSON.stringify({ a: [1, "two"] }));
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ received: { a: [1, "two"] } });
  });

  it("answers /health without touching a module", async function () {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: "ok" });
  });

  it("turns an ApiError into its status and the one error format", async function () {
    const response = await fetch(`${server.url}/v1/items/missing`);
    expect(response.status).to.equal(404);
    expect(await errorOf(response)).to.deep.equal({ code: "ITEM_NOT_FOUND", message: "no such item", details: { id: "missing" } });
  });

  it("answers an unexpected error with a generic 500 that leaks nothing", async function () {
    const response = await fetch(`${server.url}/v1/boom`);
    expect(response.status).to.equal(500);
    const error = await errorOf(response);
    expect(error.code).to.equal("INTERNAL_ERROR");
    expect(JSON.stringify(error)).not.to.contain("hunter2");
  });

  it("refuses a body over the limit with 413 BODY_TOO_LARGE", async function () {
    const response = await postJson(`${server.url}/v1/echo`, JSON.stringify({ blob: "x".repeat(2_000) }));
    expect(response.status).to.equal(413);
    const error = await errorOf(response);
    expect(error.code).to.equal("BODY_TOO_LARGE");
    expect(error.details).to.deep.equal({ limitBytes: 1_024 });
  });

  it("refuses malformed JSON with 400 MALFORMED_JSON", async function () {
    const response = await postJson(`${server.url}/v1/echo`, '{"order": {"app": "1",');
    expect(response.status).to.equal(400);
    expect((await errorOf(response)).code).to.equal("MALFORMED_JSON");
  });

  it("refuses a body that is not JSON with 415 UNSUPPORTED_MEDIA_TYPE", async function () {
    const response = await fetch(`${server.url}/v1/echo`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
    expect(response.status).to.equal(415);
    expect((await errorOf(response)).code).to.equal("UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers an unknown route with 404 ROUTE_NOT_FOUND", async function () {
    for (const path of ["/v1/nothing-here", "/v2/echo", "/"]) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).to.equal(404);
      expect((await errorOf(response)).code).to.equal("ROUTE_NOT_FOUND");
    }
  });

  it("answers a known path with the wrong method with 405 and Allow", async function () {
    const response = await fetch(`${server.url}/v1/items/7`, { method: "DELETE" });
    expect(response.status).to.equal(405);
    expect(response.headers.get("allow")).to.equal("GET");
    expect((await errorOf(response)).code).to.equal("METHOD_NOT_ALLOWED");
  });

  it("answers a malformed path encoding with 400, not 500", async function () {
    const response = await fetch(`${server.url}/v1/items/%E0%A4%A`);
    expect(response.status).to.equal(400);
    expect((await errorOf(response)).code).to.equal("BAD_REQUEST");
  });

  it("serves an OpenAPI 3.1 document with the modules' paths, schemas and the shared Error schema", async function () {
    const response = await fetch(`${server.url}/openapi.json`);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; tags: string[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).to.equal("3.1.0");
    expect(document.components.schemas).to.have.keys("Error", "Item");
    const echo = document.paths["/v1/echo"].post;
    expect(echo.tags).to.deep.equal(["echo"]);
    expect(echo.responses).to.include.keys("200", "400", "413", "415", "429", "500");
  });

  it("documents every route it serves and serves every route it documents", async function () {
    const operations = await expectRoutesDocumented(app, server.url);
    expect(operations).to.include.members(["GET /health", "GET /openapi.json", "POST /v1/echo", "GET /v1/items/{id}"]);
  });

  it("refuses to build a document where two modules claim one operation", function () {
    const module = echoModule();
    expect(() => buildOpenApiDocument([module, module], { title: "t", version: "1", bodyLimitBytes: 1, corePaths: {} })).to.throw(
      /documented twice/,
    );
  });

  describe("rate limiting", function () {
    let limited: HttpServer;

    before(async function () {
      clock = 1_000_000;
      const limitedApp = createMarketApp({
        modules: [echoModule()],
        bodyLimitBytes: 1_024,
        rateLimitPerMinute: 3,
        logger: silentLogger(),
        now: () => clock,
      });
      limited = await startHttpServer(limitedApp, { host: "127.0.0.1", port: 0 });
    });

    after(() => limited.close());

    it("lets a client burst its per-minute allowance, then answers 429 RATE_LIMITED with Retry-After", async function () {
      for (let i = 0; i < 3; i += 1) expect((await fetch(`${limited.url}/v1/items/${i}`)).status).to.equal(200);
      const refused = await fetch(`${limited.url}/v1/items/4`);
      expect(refused.status).to.equal(429);
      expect(refused.headers.get("retry-after")).to.equal("20");
      const error = await errorOf(refused);
      expect(error.code).to.equal("RATE_LIMITED");
      expect(error.details).to.deep.equal({ retryAfterSeconds: 20 });
    });

    it("keeps /health reachable for a limited client", async function () {
      expect((await fetch(`${limited.url}/health`)).status).to.equal(200);
    });

    it("refills the bucket with time", async function () {
      clock += 20_000;
      expect((await fetch(`${limited.url}/v1/items/5`)).status).to.equal(200);
      expect((await fetch(`${limited.url}/v1/items/6`)).status).to.equal(429);
    });
  });
});
