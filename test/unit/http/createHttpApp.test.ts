// Specification of the HTTP shell every service is built on, over real HTTP on loopback: typed
// errors answered through the service's table, the one error format with details always present,
// every way a body can be wrong (size, JSON, media type, charset, Content-Encoding), 404 and 405,
// rate limits, client mistakes logged at debug only, and the OpenAPI document built from the table.
import { expect } from "chai";
import express from "express";
import { Counter } from "prom-client";
import { ContinuumError } from "../../../src/core/ContinuumError.ts";
import {
  ApiError,
  buildOpenApiDocument,
  createHttpApp,
  createServiceRegistry,
  READINESS_TIMEOUT_MS,
  jsonRequestBody,
  jsonResponse,
  mergeErrorTables,
  SHELL_ERROR_STATUS,
  startHttpServer,
  type HttpAppOptions,
  type HttpServer,
  type RawBodyRequest,
  type RouteModule,
} from "../../../src/http/index.ts";
import { capturedLogs, LOG_LEVEL } from "../../helpers/capturedLogs.ts";
import { BODY_EDGE_CASES, ENCODED_EMPTY_OBJECT, expectErrorShape, sendRaw } from "../../helpers/httpEdges.ts";
import { expectEveryCodeDocumented, expectRoutesDocumented } from "../../helpers/openApiCoverage.ts";

class WidgetError extends ContinuumError<"WIDGET_NOT_FOUND" | "WIDGET_BROKEN" | "WIDGET_UNMAPPED"> {}

const WIDGET_ERROR_STATUS = { WIDGET_NOT_FOUND: 404, WIDGET_BROKEN: 503 };

function widgetModule(): RouteModule {
  const router = express.Router();
  router.post("/echo", (req, res) => {
    res.json({ received: req.body, raw: (req as RawBodyRequest).rawBody?.toString("utf8") ?? null });
  });
  router.get("/widgets/:id", (req, res) => {
    if (req.params.id === "missing") throw new WidgetError("WIDGET_NOT_FOUND", "no such widget");
    if (req.params.id === "broken") throw new WidgetError("WIDGET_BROKEN", "the widget store is down", { store: "primary" });
    if (req.params.id === "unmapped") throw new WidgetError("WIDGET_UNMAPPED", "a code the table forgot");
    if (req.params.id === "foreign") throw Object.assign(new Error("connection lost"), { code: "WIDGET_DRIVER_DOWN" });
    res.json({ id: req.params.id });
  });
  router.get("/boom", async () => {
    throw new Error("database password is hunter2");
  });
  return {
    name: "widgets",
    router,
    openapi: {
      paths: {
        "/v1/echo": { post: { requestBody: jsonRequestBody({ type: "object" }), responses: { "200": jsonResponse("echo", { type: "object" }) } } },
        "/v1/widgets/{id}": {
          get: { responses: { "200": jsonResponse("a widget", { $ref: "#/components/schemas/Widget" }) }, errors: ["WIDGET_NOT_FOUND", "WIDGET_BROKEN"] },
        },
        "/v1/boom": { get: { responses: { "200": jsonResponse("never", { type: "object" }) } } },
      },
      schemas: { Widget: { type: "object", properties: { id: { type: "string" } } } },
    },
  };
}

function widgetApp(overrides: Partial<HttpAppOptions> = {}) {
  const logs = capturedLogs();
  const app = createHttpApp({
    title: "widgets",
    version: "1.0.0",
    description: "A service for the shell's tests.",
    modules: [widgetModule()],
    errorStatus: WIDGET_ERROR_STATUS,
    translateError: (error) =>
      (error as { code?: unknown }).code === "WIDGET_DRIVER_DOWN" ? new WidgetError("WIDGET_BROKEN", "the widget store is down", {}, { cause: error }) : undefined,
    bodyLimitBytes: 1_024,
    logger: logs.logger,
    ...overrides,
  });
  return { app, logs };
}

describe("the HTTP shell", function () {
  let server: HttpServer;
  let app: express.Express;
  let logs: ReturnType<typeof capturedLogs>;
  const url = (path: string) => `${server.url}${path}`;

  before(async function () {
    ({ app, logs } = widgetApp({ keepRawBody: true }));
    server = await startHttpServer(app, { host: "127.0.0.1", port: 0 });
  });

  after(() => server.close());

  beforeEach(() => logs.clear());

  /** No line above debug was logged since the test began: client mistakes are not the server's trouble. */
  function expectQuietLogs(): void {
    const loud = logs.lines().filter((line) => line.level > LOG_LEVEL.debug);
    expect(loud.map((line) => `${line.level} ${line.msg}`)).to.deep.equal([]);
  }

  it("serves a module's routes under /v1 with parsed JSON bodies, keeping the raw bytes when asked", async function () {
    const answer = await sendRaw(url("/v1/echo"), "POST", { "content-type": "application/json" }, '{"a":[1,"two"]}');
    expect(answer.status).to.equal(200);
    expect(answer.json).to.deep.equal({ received: { a: [1, "two"] }, raw: '{"a":[1,"two"]}' });
  });

  it("answers /health", async function () {
    expect((await sendRaw(url("/health"), "GET")).json).to.deep.equal({ status: "ok" });
  });

  it("answers a typed error with the status of the service's table, details {} when it has none", async function () {
    const error = expectErrorShape(await sendRaw(url("/v1/widgets/missing"), "GET"), 404, "WIDGET_NOT_FOUND");
    expect(error).to.deep.equal({ code: "WIDGET_NOT_FOUND", message: "no such widget", details: {} });
    expectQuietLogs();
  });

  it("answers a typed 5xx with its details, logged as a warning without the body", async function () {
    const error = expectErrorShape(await sendRaw(url("/v1/widgets/broken"), "GET"), 503, "WIDGET_BROKEN");
    expect(error.details).to.deep.equal({ store: "primary" });
    expect(logs.lines().map((line) => line.level)).to.include(LOG_LEVEL.warn).and.not.include(LOG_LEVEL.error);
  });

  it("lets the service translate a foreign error into one of its own", async function () {
    expectErrorShape(await sendRaw(url("/v1/widgets/foreign"), "GET"), 503, "WIDGET_BROKEN");
  });

  it("answers an unexpected error, or a code the table lacks, with a generic 500 INTERNAL_ERROR logged as an error", async function () {
    for (const path of ["/v1/boom", "/v1/widgets/unmapped"]) {
      const answer = await sendRaw(url(path), "GET");
      const error = expectErrorShape(answer, 500, "INTERNAL_ERROR", path);
      expect(error.details).to.deep.equal({});
      expect(answer.text).not.to.contain("hunter2").and.not.to.contain("forgot");
    }
    expect(logs.lines().filter((line) => line.level === LOG_LEVEL.error)).to.have.length(2);
  });

  it("refuses a body over the limit with 413 BODY_TOO_LARGE and the limit in details", async function () {
    const answer = await sendRaw(url("/v1/echo"), "POST", { "content-type": "application/json" }, JSON.stringify({ blob: "x".repeat(2_000) }));
    expect(expectErrorShape(answer, 413, "BODY_TOO_LARGE").details).to.deep.equal({ limitBytes: 1_024 });
    expectQuietLogs();
  });

  for (const edge of BODY_EDGE_CASES) {
    it(`answers ${edge.name} with ${edge.status} ${edge.code}, logged at debug only`, async function () {
      expectErrorShape(await sendRaw(url("/v1/echo"), "POST", edge.headers, edge.body), edge.status, edge.code);
      expectQuietLogs();
    });
  }

  it("decodes valid gzip, deflate, br and zstd bodies, and accepts charset=utf-8 in any spelling", async function () {
    for (const [encoding, body] of Object.entries(ENCODED_EMPTY_OBJECT)) {
      const answer = await sendRaw(url("/v1/echo"), "POST", { "content-type": "application/json", "content-encoding": encoding }, body);
      expect(answer.status, encoding).to.equal(200);
      expect((answer.json as { received: unknown }).received, encoding).to.deep.equal({});
    }
    for (const charset of ["utf-8", "UTF-8", '"utf-8"']) {
      const answer = await sendRaw(url("/v1/echo"), "POST", { "content-type": `application/json; charset=${charset}` }, "{}");
      expect(answer.status, charset).to.equal(200);
    }
  });

  it("does not read the body of a GET, so a corrupt one cannot fail it", async function () {
    const answer = await sendRaw(url("/v1/widgets/7"), "GET", { "content-type": "application/json", "content-encoding": "gzip" }, "{}");
    expect(answer.status).to.equal(200);
  });

  it("answers an unknown route with 404 ROUTE_NOT_FOUND and what was asked in details", async function () {
    for (const path of ["/v1/nothing-here", "/v2/echo", "/"]) {
      const error = expectErrorShape(await sendRaw(url(path), "GET"), 404, "ROUTE_NOT_FOUND", path);
      expect(error.details).to.deep.equal({ method: "GET", path });
    }
    expectQuietLogs();
  });

  it("answers a known path under another method with 405 METHOD_NOT_ALLOWED and Allow", async function () {
    const answer = await sendRaw(url("/v1/widgets/7"), "DELETE");
    expect(answer.headers.allow).to.equal("GET");
    expect(expectErrorShape(answer, 405, "METHOD_NOT_ALLOWED").details).to.deep.equal({ method: "DELETE", allowed: ["GET"] });
    expectErrorShape(await sendRaw(url("/v1/echo"), "GET"), 405, "METHOD_NOT_ALLOWED");
  });

  it("answers a malformed path encoding with 400 BAD_REQUEST, not 500", async function () {
    expectErrorShape(await sendRaw(url("/v1/widgets/%E0%A4%A"), "GET"), 400, "BAD_REQUEST");
    expectQuietLogs();
  });

  describe("its OpenAPI document", function () {
    type Document = {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, { "x-error-codes"?: string[]; headers?: object }>; tags: string[]; errors?: unknown }>>;
      components: { schemas: Record<string, unknown> };
      "x-error-codes": Record<string, number>;
    };
    let document: Document;

    before(async function () {
      document = (await sendRaw(url("/openapi.json"), "GET")).json as Document;
    });

    it("is OpenAPI 3.1 with the modules' paths and schemas and the shared Error schema, details required", function () {
      expect(document.openapi).to.equal("3.1.0");
      expect(document.components.schemas).to.have.keys("Error", "Widget");
      const error = document.components.schemas.Error as { properties: { error: { required: string[] } } };
      expect(error.properties.error.required).to.deep.equal(["code", "message", "details"]);
      expect(document.paths["/v1/echo"].post.tags).to.deep.equal(["widgets"]);
    });

    it("generates each operation's error responses from the codes it lists and the table, with the shell's own", function () {
      const get = document.paths["/v1/widgets/{id}"].get;
      expect(get.errors).to.equal(undefined);
      expect(get.responses["404"]["x-error-codes"]).to.deep.equal(["WIDGET_NOT_FOUND"]);
      expect(get.responses["503"]["x-error-codes"]).to.deep.equal(["WIDGET_BROKEN"]);
      expect(get.responses["500"]["x-error-codes"]).to.deep.equal(["INTERNAL_ERROR"]);
      expect(get.responses["408"]["x-error-codes"]).to.deep.equal(["REQUEST_TIMEOUT"]);
      expect(get.responses["431"]["x-error-codes"]).to.deep.equal(["HEADERS_TOO_LARGE"]);
      expect(get.responses).not.to.have.keys("413", "415");
      const post = document.paths["/v1/echo"].post;
      expect(post.responses["400"]["x-error-codes"]).to.have.members(["MALFORMED_JSON", "MALFORMED_BODY", "BAD_REQUEST"]);
      expect(post.responses["413"]["x-error-codes"]).to.deep.equal(["BODY_TOO_LARGE"]);
      expect(post.responses["415"]["x-error-codes"]).to.deep.equal(["UNSUPPORTED_MEDIA_TYPE"]);
      expect(post.responses).not.to.have.key("429");
    });

    it("maps every code of the shell and the service to its status, and lists each on an operation", function () {
      expect(document["x-error-codes"]).to.deep.equal({ ...SHELL_ERROR_STATUS, ...WIDGET_ERROR_STATUS });
      expectEveryCodeDocumented(document, ["INVALID_LIMIT", "INVALID_CURSOR", "RATE_LIMITED"]);
    });

    it("documents every route it serves and serves every route it documents", async function () {
      const operations = await expectRoutesDocumented(app, server.url);
      expect(operations).to.include.members(["GET /health", "GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json", "POST /v1/echo", "GET /v1/widgets/{id}"]);
    });

    it("refuses to be built when two modules claim one operation, a code has no status, or an error response is written by hand", function () {
      const options = { title: "t", version: "1", description: "d", errorStatus: mergeErrorTables(WIDGET_ERROR_STATUS), rateLimited: false, corePaths: {} };
      const module = widgetModule();
      expect(() => buildOpenApiDocument([module, module], options)).to.throw(/documented twice/);
      const withPaths = (paths: RouteModule["openapi"]["paths"]): RouteModule => ({ name: "x", router: express.Router(), openapi: { paths } });
      expect(() => buildOpenApiDocument([withPaths({ "/v1/x": { get: { responses: {}, errors: ["NOBODY_KNOWS"] } } })], options)).to.throw(/NOBODY_KNOWS/);
      expect(() => buildOpenApiDocument([withPaths({ "/v1/x": { get: { responses: { "404": { description: "gone" } } } } })], options)).to.throw(/by hand/);
    });

    it("refuses a service table that gives one of the shell's codes another status", function () {
      expect(() => mergeErrorTables({ ROUTE_NOT_FOUND: 410 })).to.throw(/ROUTE_NOT_FOUND/);
      expect(() => mergeErrorTables({ WIDGET_FINE: 200 })).to.throw(/not an error status/);
      expect(mergeErrorTables({ INVALID_CURSOR: 400 }).INVALID_CURSOR).to.equal(400);
    });
  });

  describe("rate limiting", function () {
    let limited: HttpServer;
    let clock = 1_000_000;

    before(async function () {
      const { app: limitedApp } = widgetApp({ rateLimitPerMinute: 3, now: () => clock });
      limited = await startHttpServer(limitedApp, { host: "127.0.0.1", port: 0 });
    });

    after(() => limited.close());

    it("lets a client burst its allowance, then answers 429 RATE_LIMITED with Retry-After; /health stays reachable", async function () {
      for (let i = 0; i < 3; i += 1) expect((await sendRaw(`${limited.url}/v1/widgets/${i}`, "GET")).status).to.equal(200);
      const refused = await sendRaw(`${limited.url}/v1/widgets/4`, "GET");
      expect(refused.headers["retry-after"]).to.equal("20");
      expect(expectErrorShape(refused, 429, "RATE_LIMITED").details).to.deep.equal({ retryAfterSeconds: 20 });
      expect((await sendRaw(`${limited.url}/health`, "GET")).status).to.equal(200);
      clock += 20_000;
      expect((await sendRaw(`${limited.url}/v1/widgets/5`, "GET")).status).to.equal(200);
    });

    it("documents 429 with Retry-After on every operation but /health", async function () {
      const generous = await startHttpServer(widgetApp({ rateLimitPerMinute: 1_000 }).app, { host: "127.0.0.1", port: 0 });
      try {
        const document = (await sendRaw(`${generous.url}/openapi.json`, "GET")).json as {
          paths: Record<string, Record<string, { responses: Record<string, { headers?: object }> }>>;
        };
        expect(document.paths["/v1/echo"].post.responses["429"].headers).to.have.key("Retry-After");
        expect(document.paths["/health"].get.responses).not.to.have.key("429");
      } finally {
        await generous.close();
      }
    });
  });

  describe("probes and metrics", function () {
    it("answers /healthz, and /readyz with every check ready", async function () {
      expect((await sendRaw(url("/healthz"), "GET")).json).to.deep.equal({ status: "ok" });
      const ready = await sendRaw(url("/readyz"), "GET");
      expect(ready.status).to.equal(200);
      expect(ready.json).to.deep.equal({ status: "ready", checks: [] });
    });

    it("answers /readyz 503 naming each check that is not ready and why: a refusal, a throw, no answer in time", async function () {
      const registry = createServiceRegistry("market");
      const readiness = [
        { name: "chain", check: async () => undefined },
        { name: "database", check: async () => "migrations are pending" },
        { name: "indexer", check: async () => Promise.reject(new Error("cursor table missing")) },
        { name: "slow", check: () => new Promise<undefined>(() => undefined) },
      ];
      const probed = await startHttpServer(widgetApp({ metrics: registry, readiness }).app, { host: "127.0.0.1", port: 0 });
      try {
        const answer = await sendRaw(`${probed.url}/readyz`, "GET");
        expect(answer.status).to.equal(503);
        expect(answer.json).to.deep.equal({
          status: "not_ready",
          checks: [
            { name: "chain", ready: true },
            { name: "database", ready: false, reason: "migrations are pending" },
            { name: "indexer", ready: false, reason: "cursor table missing" },
            { name: "slow", ready: false, reason: `no answer within ${READINESS_TIMEOUT_MS} ms` },
          ],
        });
      } finally {
        await probed.close();
      }
    });

    it("serves the service's registry at /metrics in the Prometheus text format, every series labelled with the service", async function () {
      const registry = createServiceRegistry("sms");
      const counter = new Counter({ name: "widgets_served_total", help: "Widgets served.", registers: [registry] });
      counter.inc(3);
      const probed = await startHttpServer(widgetApp({ metrics: registry }).app, { host: "127.0.0.1", port: 0 });
      try {
        const answer = await fetch(`${probed.url}/metrics`);
        expect(answer.status).to.equal(200);
        expect(answer.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
        const text = await answer.text();
        expect(text).to.include("# TYPE widgets_served_total counter");
        expect(text).to.include('widgets_served_total{service="sms"} 3');
      } finally {
        await probed.close();
      }
    });

    it("never rate-limits the probes and /metrics, and documents them without 429", async function () {
      const { app: limitedApp } = widgetApp({ rateLimitPerMinute: 1, now: () => 0 });
      const limited = await startHttpServer(limitedApp, { host: "127.0.0.1", port: 0 });
      try {
        expect((await sendRaw(`${limited.url}/v1/widgets/1`, "GET")).status).to.equal(200);
        expect((await sendRaw(`${limited.url}/v1/widgets/2`, "GET")).status).to.equal(429);
        for (let i = 0; i < 3; i += 1) {
          for (const path of ["/healthz", "/readyz", "/metrics"]) expect((await sendRaw(`${limited.url}${path}`, "GET")).status, path).to.equal(200);
        }
      } finally {
        await limited.close();
      }
      const generous = await startHttpServer(widgetApp({ rateLimitPerMinute: 1_000 }).app, { host: "127.0.0.1", port: 0 });
      try {
        const document = (await (await fetch(`${generous.url}/openapi.json`)).json()) as {
          paths: Record<string, { get: { responses: Record<string, unknown> } }>;
        };
        expect(document.paths["/v1/widgets/{id}"].get.responses).to.include.keys("429");
        for (const path of ["/healthz", "/readyz", "/metrics"]) {
          expect(document.paths[path].get.responses, path).not.to.have.key("429");
        }
        expect(document.paths["/readyz"].get.responses).to.include.keys("200", "503");
      } finally {
        await generous.close();
      }
    });
  });

  it("keeps ApiError for answers with an explicit status (the explorer's pages)", function () {
    expect(new ApiError(410, "GONE", "gone").toJSON()).to.deep.equal({ error: { code: "GONE", message: "gone", details: {} } });
  });
});
