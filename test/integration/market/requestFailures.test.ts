// Specification of what a requester sees of a task that failed for good, over real HTTP on a ledger
// the indexer built from the Hardhat network: GET /v1/requests/{hash} shows the task as failed with
// its reason code and attempt count, and the request's status follows, as soon as the TaskFailed
// log is indexed; the live feed carries task.failed; the OpenAPI document describes both.
import { expect } from "chai";
import type { DataSource } from "typeorm";
import type { ChainIndexer } from "../../../src/indexer/index.ts";
import type { HttpServer } from "../../../src/http/index.ts";
import { bookEntities, bookMigrations } from "../../../src/market/book/index.ts";
import { createAuditRoutes } from "../../../src/market/routes/audit.ts";
import { createFeedRoutes, type FeedModule } from "../../../src/market/routes/feed.ts";
import { createRequestStatusRoutes } from "../../../src/market/routes/requestStatus.ts";
import { followChain } from "../../../src/market/service/chainFollower.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { Ledger, type TaskRecord } from "../../../src/persistence/ledger/index.ts";
import { TASK_FAILURE_CODES } from "../../../src/wire/marketApi/taskFailure.ts";
import { FAILURE_CAUSE } from "../../../src/wire/eip712/index.ts";
import type { RequestStatusJson } from "../../../src/wire/marketApi/requestStatus.ts";
import { expectRoutesDocumented } from "../../helpers/openApiCoverage.ts";
import { databaseBackends } from "../../unit/persistence/databaseBackends.ts";
import { failTask, loadFailureScenario, type FailureScenario } from "../indexer/support/failureScenario.ts";
import { newIndexer } from "../indexer/support/indexerHarness.ts";
import { openLedgerDatabase } from "../indexer/support/ledgerDatabase.ts";
import { match, teeOrders } from "../indexer/support/scenario.ts";
import { marketFor, serveMarketApp } from "./marketFixture.ts";
import type { Express } from "express";

type FeedEvent = { event: string; data: Record<string, unknown> };

/** Reads a Server-Sent Events stream and resolves with the first event named `topic`. */
async function nextFeedEvent(reader: ReadableStreamDefaultReader<Uint8Array>, topic: string, timeoutMs = 10_000): Promise<FeedEvent> {
  const decoder = new TextDecoder();
  let buffered = "";
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${topic} event within ${timeoutMs} ms`)), deadline - Date.now()).unref());
    const { value, done } = await Promise.race([reader.read(), timeout]);
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    for (const frame of buffered.split("\n\n")) {
      const event = /^event: (.+)$/m.exec(frame)?.[1];
      const data = /^data: (.+)$/m.exec(frame)?.[1];
      if (event === topic && data !== undefined) return { event, data: JSON.parse(data) };
    }
  }
  throw new Error(`the feed ended before a ${topic} event`);
}

describe("requests whose tasks failed for good", function () {
  let scenario: FailureScenario;
  let db: DataSource;
  let indexer: ChainIndexer;
  let feed: FeedModule;
  let app: Express;
  let server: HttpServer;

  before(async function () {
    scenario = await loadFailureScenario();
    const [pglite] = await databaseBackends();
    db = await openLedgerDatabase(await pglite.freshTarget(), { entities: bookEntities, migrations: bookMigrations });
    ({ indexer } = newIndexer(scenario.f, db));
    const ledger = new Ledger(db);
    const { book } = marketFor(scenario.f, db);
    feed = createFeedRoutes({ book, heartbeatMs: 60_000 });
    const onApplied = followChain({ book, publish: (topic, data) => feed.publish(topic, data), logger: silentLogger() });
    indexer.on("applied", (events) => void onApplied(events));
    await indexer.catchUp();
    ({ app, server } = await serveMarketApp({ modules: [createAuditRoutes(ledger), createRequestStatusRoutes(ledger, { book }), feed] }));
  });

  after(async function () {
    feed?.close();
    await server?.close();
    await db?.destroy();
  });

  async function requestStatus(hash: string): Promise<RequestStatusJson> {
    const response = await fetch(`${server.url}/v1/requests/${hash}`);
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).to.equal(200);
    return body as RequestStatusJson;
  }

  const tasksOf = (status: RequestStatusJson): TaskRecord[] => status.deals.flatMap((deal) => deal.tasks);

  it("shows a failed task as failed with its reason code and attempt count, and the request as failed", async function () {
    const status = await requestStatus(scenario.failedOne.requestHash);
    expect(status).to.deep.include({
      status: "failed",
      taskCounts: { total: "1", completed: "0", failed: "1", claimed: "0", pending: "0" },
    });
    expect(status.deals[0]!.status).to.equal("failed");
    expect(tasksOf(status)[0]).to.deep.include({ status: "failed", resultCid: null, failure: { code: "APP_OWNER_CAUSED", attempts: 2 } });
    const refunds = status.payments.filter((payment) => payment.kind === "refund");
    expect(refunds.map((payment) => payment.taskIndex)).to.deep.equal(["0"]);
  });

  it("shows a running request's failed task next to its completed and pending ones", async function () {
    const status = await requestStatus(scenario.running.requestHash);
    expect(status).to.deep.include({ status: "running", taskCounts: { total: "3", completed: "1", failed: "1", claimed: "0", pending: "1" } });
    expect(tasksOf(status).map((task) => [task.status, task.failure?.code ?? null, task.failure?.attempts ?? null])).to.deep.equal([
      ["completed", null, null],
      ["failed", "REQUESTER_CAUSED", 3],
      ["pending", null, null],
    ]);
  });

  it("gives a task claimed after the deadline the reason DEADLINE_PASSED", async function () {
    const status = await requestStatus(scenario.claimed.requestHash);
    expect(status.status).to.equal("settled");
    expect(tasksOf(status)[1]).to.deep.include({ status: "claimed", failure: { code: "DEADLINE_PASSED", attempts: null } });
  });

  it("shows the failure as soon as its TaskFailed log is indexed, and the live feed carries it", async function () {
    const { f } = scenario;
    const fresh = await match(f, await teeOrders(f, 1n));
    await indexer.catchUp();
    expect((await requestStatus(fresh.requestHash)).status).to.equal("running");

    const controller = new AbortController();
    const stream = await fetch(`${server.url}/v1/feed?topics=task`, { signal: controller.signal });
    const reader = stream.body!.getReader();
    try {
      const receipt = await failTask(f, fresh, 0n, FAILURE_CAUSE.datasetOwner, 4);
      await indexer.syncOnce();
      const status = await requestStatus(fresh.requestHash);
      expect(status.status).to.equal("failed");
      expect(tasksOf(status)[0]).to.deep.include({
        status: "failed",
        failure: { code: "DATASET_OWNER_CAUSED", attempts: 4 },
        transactionHash: receipt.hash.toLowerCase(),
      });
      const { data } = await nextFeedEvent(reader, "task.failed");
      expect(data).to.deep.include({
        dealId: fresh.dealId,
        index: "0",
        cause: "2",
        attempt: "4",
        failure: { code: "DATASET_OWNER_CAUSED", attempts: 4 },
        transactionHash: receipt.hash.toLowerCase(),
      });
    } finally {
      controller.abort();
    }
  });

  it("documents the failure in /openapi.json: task failure codes, failed counts and statuses", async function () {
    await expectRoutesDocumented(app, server.url);
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    const schemas = document.components.schemas;
    expect(schemas.LedgerTask.properties.failure.properties.code.enum).to.deep.equal([...TASK_FAILURE_CODES]);
    expect(schemas.LedgerTask.properties.status.enum).to.include("failed");
    expect(schemas.LedgerTaskCounts.required).to.include("failed");
    expect(schemas.RequestStatus.properties.status.enum).to.include("failed");
    expect(schemas.LedgerDeal.properties.status.enum).to.include("failed");
    expect(document.paths["/v1/feed"].get.description).to.include("task.failed");
  });
});
