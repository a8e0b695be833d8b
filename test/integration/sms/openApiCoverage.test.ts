// The SMS's GET /openapi.json against the app itself: every route express serves is documented
// (and nothing else), and the body refusals every JSON route meets are documented for it.
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
import { MasterKey, SMS_OPENAPI, smsEntities, smsMigrations } from "../../../sms/index.ts";
import { loadProtocol } from "../../helpers/protocolFixture.ts";
import { expectRoutesDocumented } from "../../helpers/openApiCoverage.ts";
import { postJson } from "./smsHarness.ts";

type Responses = Record<string, { description: string }>;
const operations = SMS_OPENAPI.paths as unknown as Record<string, Record<string, { requestBody?: unknown; responses: Responses }>>;

describe("SMS OpenAPI document", function () {
  this.timeout(60_000);
  let dir: TemporaryDirectory;
  let db: DataSource;
  let server: Server;
  let url: string;
  let app: ReturnType<typeof createSmsApp>;
  let attestation: TestAttestation;

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
    });
    server = createServer(app);
    url = (await listen(server, "127.0.0.1", 0, (cause) => cause)).url;
  });

  after(async () => {
    if (server) await stopServer(server);
    await db?.destroy();
    await attestation?.close();
    await dir?.remove();
  });

  /** The documented response for `status` of POST `path`, which must name `code`. */
  function expectDocumented(path: string, status: number, code: string): void {
    const response = operations[path]!.post!.responses[String(status)];
    expect(response, `POST ${path} documents ${status}`).to.not.equal(undefined);
    expect(response!.description, `POST ${path} ${status}`).to.include(code);
  }

  it("documents exactly the routes the app serves", async () => {
    const served = await expectRoutesDocumented(app, url);
    expect(served).to.deep.equal(["GET /health", "GET /openapi.json", "POST /v1/audit", "POST /v1/challenges", "POST /v1/secrets", "POST /v1/sessions"]);
  });

  it("documents INVALID_JSON and BODY_TOO_LARGE on every route taking a JSON body", async () => {
    const withBody = Object.entries(operations).filter(([, item]) => item.post?.requestBody).map(([path]) => path);
    expect(withBody).to.have.members(["/v1/sessions", "/v1/secrets", "/v1/audit"]);
    for (const path of withBody) {
      const malformed = await postJson(`${url}${path}`, "{not json");
      expect(malformed.status).to.equal(400);
      expect((malformed.body as { error: { code: string } }).error.code).to.equal("INVALID_JSON");
      expectDocumented(path, 400, "INVALID_JSON");

      const huge = await postJson(`${url}${path}`, JSON.stringify({ padding: "x".repeat(DEFAULT_BODY_LIMIT_BYTES) }));
      expect(huge.status).to.equal(413);
      expect((huge.body as { error: { code: string } }).error.code).to.equal("BODY_TOO_LARGE");
      expectDocumented(path, 413, "BODY_TOO_LARGE");
    }
  });

  it("documents the internal error every operation may answer", () => {
    for (const [path, item] of Object.entries(operations)) {
      for (const [method, operation] of Object.entries(item)) {
        expect(operation.responses["500"]?.description ?? "", `${method.toUpperCase()} ${path}`).to.include("INTERNAL");
      }
    }
  });
});
