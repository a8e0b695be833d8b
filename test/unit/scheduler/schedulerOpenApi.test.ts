// The scheduler's GET /openapi.json against the app itself, over real HTTP on a PGlite database:
// every route express serves is documented (and nothing else), every code of its table is listed,
// and the refusals real requests meet, malformed bodies included, are answered in the error
// format and documented for their route with the status they come with.
import { expect } from "chai";
import { createServer, type Server } from "node:http";
import { hexlify, randomBytes, Wallet, type Signer } from "ethers";
import type { DataSource } from "typeorm";
import { listen, stopServer } from "../../../src/http/listen.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { continuumDomain, taskIdOf } from "../../../src/wire/eip712/index.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { signWorkerRequest, type SchedulerIdentity } from "../../../src/wire/workerApi/workerRequestSignature.ts";
import { createSchedulerApp } from "../../../scheduler/http/createSchedulerApp.ts";
import { schedulerDatabase, TaskRepository } from "../../../scheduler/persistence/index.ts";
import { queueSnapshotSchema } from "../../../src/wire/workerApi/queueSnapshot.ts";
import { SmsVerdicts } from "../../../scheduler/tasks/SmsVerdicts.ts";
import { TaskBoard } from "../../../scheduler/tasks/TaskBoard.ts";
import { capturedLogs, LOG_LEVEL } from "../../helpers/capturedLogs.ts";
import { BODY_EDGE_CASES, expectErrorShape, sendRaw } from "../../helpers/httpEdges.ts";
import { documentedCodes, expectEveryCodeDocumented, expectRoutesDocumented, type DocumentWithErrors } from "../../helpers/openApiCoverage.ts";

type Operation = { method: "GET" | "POST"; path: string; body?: unknown };

const TASK = `/v1/tasks/${hexlify(randomBytes(32))}`;
const ENCLAVE = Wallet.createRandom().address;

describe("scheduler OpenAPI document", function () {
  this.timeout(60_000);
  let dir: TemporaryDirectory;
  let db: DataSource;
  let server: Server;
  let url: string;
  let app: ReturnType<typeof createSchedulerApp>;
  let document: DocumentWithErrors;
  const logs = capturedLogs();
  const owner = Wallet.createRandom();
  const identity: SchedulerIdentity = { owner: owner.address, workerpool: 1n };
  const registered = Wallet.createRandom();
  const stranger = Wallet.createRandom();

  const operations = (worker: string): Operation[] => [
    { method: "POST", path: "/v1/workers", body: { capabilities: { cpu: 2, memoryMb: 2048, tee: true, gpu: 0 } } },
    { method: "POST", path: `/v1/workers/${worker}/heartbeat` },
    { method: "GET", path: `/v1/workers/${worker}/next-task` },
    { method: "POST", path: `${TASK}/authorization`, body: { enclave: ENCLAVE } },
    { method: "POST", path: `${TASK}/progress`, body: { stage: "fetching" } },
    { method: "POST", path: `${TASK}/result`, body: { enclave: ENCLAVE, resultDigest: hexlify(randomBytes(32)), resultCid: "bafy", enclaveSignature: "0x" } },
    { method: "POST", path: `${TASK}/failure`, body: { code: "APP_FAILED" } },
  ];

  before(async () => {
    dir = await createTemporaryDirectory("continuum-scheduler-openapi-");
    db = await openDataSource({ pgliteDir: dir.path, ...schedulerDatabase, logger: silentLogger() });
    const domain = continuumDomain(31337n, Wallet.createRandom().address);
    const board = new TaskBoard({
      db,
      owner,
      domain,
      policy: { maxAttempts: 3, deadlineMarginSeconds: 20 },
      verdicts: new SmsVerdicts({ domain, smsSigner: async () => undefined }),
      logger: silentLogger(),
    });
    app = createSchedulerApp({
      db,
      board,
      identity,
      info: { chainId: "31337", continuum: Wallet.createRandom().address, heartbeatIntervalMs: 1_000 },
      closing: () => false,
      logger: logs.logger,
    });
    server = createServer(app);
    url = (await listen(server, "127.0.0.1", 0, (cause) => cause)).url;
    document = (await sendRaw(`${url}/openapi.json`, "GET")).json as DocumentWithErrors;
    const registration = await send(registered, operations(registered.address)[0]!);
    expect(registration.status).to.equal(201);
  });

  after(async () => {
    if (server) await stopServer(server);
    await db?.destroy();
    await dir?.remove();
  });

  async function send(worker: Signer | undefined, operation: Operation, options: { timestampMs?: number; rawBody?: string } = {}) {
    const body = options.rawBody ?? (operation.body === undefined ? "" : JSON.stringify(operation.body));
    const headers: Record<string, string> = body === "" ? {} : { "content-type": "application/json" };
    if (worker) {
      const timestampMs = options.timestampMs ?? Date.now();
      Object.assign(headers, await signWorkerRequest(worker, identity, { method: operation.method, path: operation.path, timestampMs, body }));
    }
    const response = await fetch(`${url}${operation.path}`, { method: operation.method, headers, body: body === "" ? undefined : body });
    const text = await response.text();
    return { status: response.status, code: text ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : undefined };
  }

  /** The document's spelling of an operation's path. */
  function documentedPath(operation: Operation): string {
    return operation.path
      .replace(/\?.*$/, "")
      .replace(/^\/v1\/workers\/0x[0-9a-fA-F]{40}/, "/v1/workers/{address}")
      .replace(/^\/v1\/tasks\/0x[0-9a-f]{64}/, "/v1/tasks/{taskId}");
  }

  /** Asserts the answer is a documented error of the operation: its code listed under its status. */
  function expectDocumented(operation: Operation, answer: { status: number; code?: string }, code: string): void {
    expect(answer.code, `${operation.method} ${operation.path}`).to.equal(code);
    const path = documentedPath(operation);
    expect(documentedCodes(document, operation.method, path, answer.status), `${operation.method} ${path} documents ${code} under ${answer.status}`).to.include(code);
  }

  it("documents exactly the routes the app serves", async () => {
    const served = await expectRoutesDocumented(app, url);
    expect(served).to.have.length(14);
    expect(served).to.include.members(["GET /v1/info", "GET /v1/queue", "GET /openapi.json", "GET /healthz", "GET /readyz", "GET /metrics", "POST /v1/tasks/{taskId}/result"]);
  });

  it("answers GET /v1/queue unsigned with the documented snapshot: waiting per category and class, held tasks, slack", async () => {
    const dealId = hexlify(randomBytes(32));
    const deadline = Math.floor(Date.now() / 1000) + 600;
    await new TaskRepository(db).addDeal({
      dealId,
      workerpool: 1n,
      deal: { volume: "3", category: "2" },
      params: '{"priority":"urgent"}',
      appCid: "bafyapp",
      appMeasurement: hexlify(randomBytes(32)),
      datasetCid: null,
      datasetChecksum: null,
      maxRunTime: 60,
      tee: false,
      deadline,
      dealBlock: 1,
      priority: "urgent",
      taskIds: [0n, 1n, 2n].map((index) => taskIdOf(dealId, index)),
    });
    try {
      const response = await fetch(`${url}/v1/queue`);
      expect(response.status).to.equal(200);
      const snapshot = queueSnapshotSchema.parse(await response.json());
      expect(snapshot).to.deep.include({ waiting: 3, waitingByCategory: { "2": 3 }, waitingByPriority: { urgent: 3, normal: 0, batch: 0 }, running: 0, liveWorkers: 1 });
      // Slack is deadline − run time − now, on the board's clock (this test's wall clock).
      expect(snapshot.leastWaitingSlackSeconds).to.be.within(600 - 60 - 5, 600 - 60);
      expect(snapshot.oldestWaitingSlackSeconds).to.equal(snapshot.leastWaitingSlackSeconds);
    } finally {
      await db.query("DELETE FROM scheduler_task WHERE deal_id = $1", [dealId.toLowerCase()]);
      await db.query("DELETE FROM scheduler_deal WHERE deal_id = $1", [dealId.toLowerCase()]);
    }
  });

  it("lists every code of its table on an operation, under the code's status", () => {
    expectEveryCodeDocumented(document, ["INVALID_LIMIT", "INVALID_CURSOR", "RATE_LIMITED"]);
  });

  it("documents the three signed-request headers on every route under /v1 but GET /v1/info and GET /v1/queue", () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item as Record<string, { parameters?: { $ref?: string }[] }>)) {
        const headers = (operation.parameters ?? []).map((parameter) => parameter.$ref).filter(Boolean);
        const signed = path.startsWith("/v1/") && path !== "/v1/info" && path !== "/v1/queue";
        expect(headers, `${method} ${path}`).to.have.length(signed ? 3 : 0);
      }
    }
  });

  it("documents BAD_SIGNATURE for unsigned requests and STALE_REQUEST for old ones, on every signed route", async () => {
    for (const operation of operations(registered.address)) {
      expectDocumented(operation, await send(undefined, operation), "BAD_SIGNATURE");
      expectDocumented(operation, await send(registered, operation, { timestampMs: Date.now() - 3_600_000 }), "STALE_REQUEST");
    }
  });

  it("documents MALFORMED_JSON for a malformed body and INVALID_REQUEST for a wrong one, on every POST", async () => {
    for (const operation of operations(registered.address).filter((candidate) => candidate.method === "POST")) {
      expectDocumented(operation, await send(registered, operation, { rawBody: "{not json" }), "MALFORMED_JSON");
    }
    for (const operation of operations(registered.address).filter((candidate) => candidate.body !== undefined)) {
      expectDocumented(operation, await send(registered, { ...operation, body: { unexpected: true } }), "INVALID_REQUEST");
    }
    const wait = { method: "GET" as const, path: `/v1/workers/${registered.address}/next-task?waitMs=soon` };
    expectDocumented(wait, await send(registered, wait), "INVALID_REQUEST");
  });

  it("documents WORKER_NOT_FOUND for an unregistered worker and TASK_NOT_FOUND for an unknown task", async () => {
    for (const operation of operations(stranger.address).slice(1)) {
      expectDocumented(operation, await send(stranger, operation), "WORKER_NOT_FOUND");
    }
    for (const operation of operations(registered.address).filter((candidate) => candidate.path.startsWith("/v1/tasks/"))) {
      expectDocumented(operation, await send(registered, operation), "TASK_NOT_FOUND");
    }
  });

  it("documents BAD_SIGNATURE for a worker acting for another", async () => {
    const heartbeat = operations(stranger.address)[1]!;
    expectDocumented(heartbeat, await send(registered, heartbeat), "BAD_SIGNATURE");
  });

  it("answers every malformed body on every POST in the error format, documented, logged at debug at most", async () => {
    logs.clear();
    for (const operation of operations(registered.address).filter((candidate) => candidate.method === "POST")) {
      for (const edge of BODY_EDGE_CASES) {
        const answer = await sendRaw(`${url}${operation.path}`, "POST", edge.headers, edge.body);
        const error = expectErrorShape(answer, edge.status, edge.code, `${edge.name} on POST ${operation.path}`);
        expectDocumented(operation, { status: answer.status, code: error.code }, edge.code);
      }
    }
    expect(logs.lines().filter((line) => line.level > LOG_LEVEL.debug)).to.deep.equal([]);
  });
});
