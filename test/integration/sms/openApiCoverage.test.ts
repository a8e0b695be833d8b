// The SMS's GET /openapi.json against the app itself: every route express serves is documented
// (and nothing else), every code of its table is listed by an operation, and the refusals every
// JSON route meets (bad JSON, size, media type, charset, Content-Encoding) are answered in the
// error format and documented for it.
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { hexlify, randomBytes } from "ethers";
import type { DataSource } from "typeorm";
import { loadConfig } from "../../../src/config/index.ts";
import { smsAttestation } from "../../../sms/attestation/smsAttestation.ts";
import { startTestAttestation, type TestAttestation } from "../../helpers/devnetAttestation.ts";
import { DealReader } from "../../../src/chain/dealReader.ts";
import { listen, stopServer } from "../../../src/http/listen.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { continuumDomain } from "../../../src/wire/eip712/index.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { createSmsApp, DEFAULT_BODY_LIMIT_BYTES } from "../../../sms/createSmsApp.ts";
import { MasterKey, smsEntities, smsMigrations } from "../../../sms/index.ts";
import { loadProtocol } from "../../helpers/protocolFixture.ts";
import { BODY_EDGE_CASES, expectErrorShape, sendRaw } from "../../helpers/httpEdges.ts";
import { documentedCodes, expectEveryCodeDocumented, expectRoutesDocumented, type DocumentWithErrors } from "../../helpers/openApiCoverage.ts";
import { capturedLogs, LOG_LEVEL } from "../../helpers/capturedLogs.ts";

type Operations = Record<string, Record<string, { requestBody?: unknown }>>;

describe("SMS OpenAPI document", function () {
  this.timeout(60_000);
  let dir: TemporaryDirectory;
  let db: DataSource;
  let server: Server;
  let url: string;
  let app: ReturnType<typeof createSmsApp>;
  let attestation: TestAttestation;
  let document: DocumentWithErrors;
  const logs = capturedLogs();

  before(async () => {
    const f = await loadProtocol();
    dir = await createTemporaryDirectory("continuum-sms-openapi-");
    db = await openDataSource({ pgliteDir: dir.path, entities: smsEntities, migrations: smsMigrations, logger: silentLogger() });
    attestation = await startTestAttestation();
    app = createSmsApp({
      dataSource: db,
      chain: new DealReader(f.ethers.provider, f.deployment),
      domain: continuumDomain(BigInt(f.deployment.chainId), f.deployment.continuum),
      attestation: await smsAttestation(loadConfig({ env: {}, overrides: { dataDir: dir.path, sms: { attestation: attestation.smsConfig } } }).sms.attestation, db),
      masterKey: MasterKey.fromConfig(hexlify(randomBytes(32)).slice(2)),
      logger: logs.logger,
    });
    server = createServer(app);
    url = (await listen(server, "127.0.0.1", 0, (cause) => cause)).url;
    document = (await sendRaw(`${url}/openapi.json`, "GET")).json as DocumentWithErrors;
  });

  after(async () => {
    if (server) await stopServer(server);
    await db?.destroy();
    await attestation?.close();
    await dir?.remove();
  });

  /** `code` is answered with `status` on POST `path`, and documented there under that status. */
  function expectDocumented(path: string, answer: Awaited<ReturnType<typeof sendRaw>>, status: number, code: string): void {
    expectErrorShape(answer, status, code, `POST ${path}`);
    expect(documentedCodes(document, "POST", path, status), `POST ${path} documents ${code} under ${status}`).to.include(code);
  }

  it("documents exactly the routes the app serves", async () => {
    const served = await expectRoutesDocumented(app, url);
    expect(served).to.deep.equal(["GET /health", "GET /healthz", "GET /metrics", "GET /openapi.json", "GET /readyz", "POST /v1/audit", "POST /v1/challenges", "POST /v1/pipelines", "POST /v1/secrets", "POST /v1/sessions"]);
  });

  it("lists every code of its table on an operation, under the code's status", () => {
    expectEveryCodeDocumented(document, ["RATE_LIMITED"]);
  });

  it("answers and documents every malformed body on every route, as a client error logged at debug at most", async () => {
    const posts = Object.entries(document.paths as Operations).filter(([, item]) => item.post).map(([path]) => path);
    expect(posts).to.have.members(["/v1/challenges", "/v1/sessions", "/v1/secrets", "/v1/audit", "/v1/pipelines"]);
    logs.clear();
    for (const path of posts) {
      for (const edge of BODY_EDGE_CASES) {
        expectDocumented(path, await sendRaw(`${url}${path}`, "POST", edge.headers, edge.body), edge.status, edge.code);
      }
      const huge = JSON.stringify({ padding: "x".repeat(DEFAULT_BODY_LIMIT_BYTES) });
      expectDocumented(path, await sendRaw(`${url}${path}`, "POST", { "content-type": "application/json" }, huge), 413, "BODY_TOO_LARGE");
    }
    expect(logs.lines().filter((line) => line.level > LOG_LEVEL.debug)).to.deep.equal([]);
  });

  it("answers GET on the POST-only audit route with 405 and Allow: POST", async () => {
    const answer = await sendRaw(`${url}/v1/audit`, "GET");
    expectErrorShape(answer, 405, "METHOD_NOT_ALLOWED");
    expect(answer.headers.allow).to.equal("POST");
  });

  it("documents the internal error every operation may answer", () => {
    for (const [path, item] of Object.entries(document.paths as Operations)) {
      for (const method of Object.keys(item)) expect(documentedCodes(document, method, path, 500), `${method.toUpperCase()} ${path}`).to.deep.equal(["INTERNAL_ERROR"]);
    }
  });
});
