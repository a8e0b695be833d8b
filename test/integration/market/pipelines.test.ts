// Specification of pipelines at the market, over real HTTP on a ledger the indexer builds from the
// in-process chain: a submitted pipeline's root stages enter the book at once, a stage that reads
// others is held back (never in the book, never matched) until their results are on-chain, a
// finally failed stage fails the pipeline and drops what waits on it (no deal is ever made for it),
// and malformed, cyclic or mismatched submissions are refused before anything is stored.
import { expect } from "chai";
import { pino } from "pino";
import type { DataSource } from "typeorm";
import type { Express } from "express";
import type { ChainIndexer } from "../../../src/indexer/index.ts";
import type { HttpServer } from "../../../src/http/index.ts";
import { bookEntities, bookMigrations, type OrderBook } from "../../../src/market/book/index.ts";
import { PipelineOrchestrator, PipelineStore, pipelineMigrations } from "../../../src/market/pipelines/index.ts";
import { createPipelineRoutes } from "../../../src/market/routes/pipelines.ts";
import { followChain } from "../../../src/market/service/chainFollower.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { Ledger } from "../../../src/persistence/ledger/index.ts";
import { FAILURE_CAUSE } from "../../../src/wire/eip712/index.ts";
import type { PipelineStatusJson } from "../../../src/wire/marketApi/pipelineStatus.ts";
import { pipelineJsonSchema, signPipeline, type PipelineDocument, type SignedPipelineSubmission } from "../../../src/wire/pipelines/index.ts";
import { expectRoutesDocumented } from "../../helpers/openApiCoverage.ts";
import { LedgerTerms } from "../../../scheduler/intake/LedgerTerms.ts";
import { by, defaultOrders, emptyDatasetOrder, failureVerdict, loadProtocol, matchDeal, teeResult, type Fixture } from "../../helpers/protocolFixture.ts";
import { databaseBackends } from "../../unit/persistence/databaseBackends.ts";
import { newIndexer } from "../indexer/support/indexerHarness.ts";
import { openLedgerDatabase } from "../indexer/support/ledgerDatabase.ts";
import { marketFor, serveMarketApp } from "./marketFixture.ts";

const PRICES = { app: "5", dataset: "3", workerpool: "10" };

/** Two cleaning stages (one on dataset 1) joined by a third: fan-in. */
function fanIn(name: string): PipelineDocument {
  return {
    version: 1,
    name,
    stages: [
      { id: "clean-air", app: "1", inputs: [{ dataset: "1" }], category: "1", prices: PRICES },
      { id: "clean-traffic", app: "1", inputs: [], category: "1", prices: PRICES },
      { id: "join", app: "1", inputs: [{ stage: "clean-air" }, { stage: "clean-traffic" }], category: "1", prices: PRICES, params: { groupBy: "district" } },
    ],
  };
}

describe("pipelines at the market", function () {
  let f: Fixture;
  let db: DataSource;
  let indexer: ChainIndexer;
  let book: OrderBook;
  let ledger: Ledger;
  let orchestrator: PipelineOrchestrator;
  let app: Express;
  let server: HttpServer;

  before(async function () {
    f = await loadProtocol();
    const [pglite] = await databaseBackends();
    db = await openLedgerDatabase(await pglite.freshTarget(), { entities: bookEntities, migrations: [...bookMigrations, ...pipelineMigrations] });
    ({ indexer } = newIndexer(f, db));
    ledger = new Ledger(db);
    const market = marketFor(f, db);
    book = market.book;
    const onApplied = followChain({ book, publish: () => undefined, logger: silentLogger() });
    indexer.on("applied", (events) => void onApplied(events));
    await indexer.catchUp();
    orchestrator = new PipelineOrchestrator({
      store: new PipelineStore(db),
      ledger,
      intake: market.intake,
      book: market.book,
      chainTime: () => market.chain.latestTimestamp(),
      logger: silentLogger(),
    });
    ({ app, server } = await serveMarketApp({ logger: pino({ level: "error" }), modules: [createPipelineRoutes({ store: new PipelineStore(db), orchestrator, domain: f.domain })] }));
  });

  after(async function () {
    await orchestrator?.stop();
    await server?.close();
    await db?.destroy();
  });

  const url = (path: string) => `${server.url}${path}`;

  async function signed(document: PipelineDocument): Promise<SignedPipelineSubmission> {
    const block = await f.ethers.provider.getBlock("latest");
    return signPipeline(f.requester, f.domain, document, { resultPublicKey: `0x${"07".repeat(32)}`, expiry: BigInt(block!.timestamp) + 86_400n });
  }

  async function post(body: unknown): Promise<{ status: number; body: any; text: string }> {
    const response = await fetch(url("/v1/pipelines"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text), text };
  }

  async function status(id: string): Promise<PipelineStatusJson> {
    const response = await fetch(url(`/v1/pipelines/${id}`));
    expect(response.status).to.equal(200);
    return (await response.json()) as PipelineStatusJson;
  }

  const states = (pipeline: PipelineStatusJson) => Object.fromEntries(pipeline.stages.map((stage) => [stage.id, stage.state]));

  /** Matches the stage's held order with the fixture's app, dataset and workerpool orders. */
  async function matchStage(submission: SignedPipelineSubmission, stage: string) {
    const { order } = submission.orders.get(stage)!;
    const orders = await defaultOrders(f, { request: order, ...(order.dataset === 0n ? { dataset: emptyDatasetOrder() } : {}) });
    return matchDeal(f, orders);
  }

  async function settle(): Promise<void> {
    await indexer.catchUp();
    await orchestrator.advanceAll();
  }

  it("publishes the root stages at submission, holds back the join, and shows no signature of a held order", async function () {
    const submission = await signed(fanIn("held back"));
    const answer = await post(submission.body);
    expect(answer.status, answer.text).to.equal(201);
    expect(answer.body.id).to.equal(submission.id);
    expect(states(answer.body)).to.deep.equal({ "clean-air": "published", "clean-traffic": "published", join: "waiting" });
    const join = answer.body.stages.find((stage: { id: string }) => stage.id === "join");
    expect(join).to.deep.include({ final: true, dealId: null, publishedAt: null });
    expect(await book.get(join.requestHash)).to.equal(undefined);
    expect(answer.text).to.not.contain(submission.orders.get("join")!.signature.slice(2));
    expect(answer.body.stages[0].children).to.deep.equal(["join"]);
  });

  it("publishes the join only once both parents' results are on-chain, then completes with the join's result", async function () {
    const submission = await signed(fanIn("fan-in"));
    expect((await post(submission.body)).status).to.equal(201);
    const air = await matchStage(submission, "clean-air");
    await settle();
    expect(states(await status(submission.id))).to.deep.equal({ "clean-air": "matched", "clean-traffic": "published", join: "waiting" });
    await (await by(f.continuum, f.poolOwner).pushResult(air.deal, await teeResult(f, air.dealId, 0n, { cid: "bafyair" }))).wait();
    await settle();
    expect(states(await status(submission.id))).to.deep.include({ "clean-air": "completed", join: "waiting" });

    const traffic = await matchStage(submission, "clean-traffic");
    await (await by(f.continuum, f.poolOwner).pushResult(traffic.deal, await teeResult(f, traffic.dealId, 0n, { cid: "bafytraffic" }))).wait();
    await settle();
    const ready = await status(submission.id);
    expect(states(ready)).to.deep.equal({ "clean-air": "completed", "clean-traffic": "completed", join: "published" });
    expect(ready.stages[0]).to.deep.include({ dealId: air.dealId, taskIndex: "0", resultCid: "bafyair" });
    // What a scheduler, reading the same ledger, tells the join's worker about where its inputs are.
    expect(await new LedgerTerms(db).stageOutputs(submission.id, f.requester.address)).to.deep.equal([
      { stage: "clean-air", resultCid: "bafyair" },
      { stage: "clean-traffic", resultCid: "bafytraffic" },
    ]);

    const join = await matchStage(submission, "join");
    await (await by(f.continuum, f.poolOwner).pushResult(join.deal, await teeResult(f, join.dealId, 0n, { cid: "bafyjoin" }))).wait();
    await settle();
    const done = await status(submission.id);
    expect(done.state).to.equal("completed");
    expect(done.stages[2]).to.deep.include({ state: "completed", resultCid: "bafyjoin", dealId: join.dealId });
  });

  it("fails the pipeline when a stage finally fails, drops the join, and the join never gets a deal", async function () {
    const submission = await signed(fanIn("failing"));
    expect((await post(submission.body)).status).to.equal(201);
    const air = await matchStage(submission, "clean-air");
    const smsSignature = await failureVerdict(f, air.dealId, 0n, FAILURE_CAUSE.datasetOwner, f.sms, 2);
    await (await by(f.continuum, f.poolOwner).failTask(air.deal, { index: 0n, cause: FAILURE_CAUSE.datasetOwner, attempt: 2, smsSignature })).wait();
    await settle();
    const failed = await status(submission.id);
    expect(failed.state).to.equal("failed");
    expect(failed.failure).to.deep.include({ stage: "clean-air", code: "DATASET_OWNER_CAUSED" });
    // clean-traffic was in the book with no deal yet: it had not started, so it leaves the book unpaid.
    expect(states(failed)).to.deep.equal({ "clean-air": "failed", "clean-traffic": "dropped", join: "dropped" });
    expect(failed.stages[2]!.failure).to.deep.equal({ code: "UPSTREAM_FAILED", message: "stage clean-air failed: DATASET_OWNER_CAUSED" });
    const trafficHash = failed.stages[1]!.requestHash;
    expect(await book.get(trafficHash)).to.deep.include({ status: "removed", removedReason: "unpublished" });
    await settle();
    const after = await status(submission.id);
    expect(states(after)).to.deep.equal({ "clean-air": "failed", "clean-traffic": "dropped", join: "dropped" });
    expect(await ledger.requestStatus(trafficHash)).to.equal(undefined);
    const joinHash = after.stages[2]!.requestHash;
    expect(await book.get(joinHash)).to.equal(undefined);
    expect(await ledger.requestStatus(joinHash)).to.equal(undefined);
  });

  it("fails the pipeline at submission when the book refuses a root stage's order, and drops the rest", async function () {
    // The stranger has tokens but nothing in escrow: its stage orders cannot be covered.
    const block = await f.ethers.provider.getBlock("latest");
    const submission = await signPipeline(f.stranger, f.domain, fanIn("unfunded"), { resultPublicKey: `0x${"07".repeat(32)}`, expiry: BigInt(block!.timestamp) + 86_400n });
    const answer = await post(submission.body);
    expect(answer.status, answer.text).to.equal(201);
    expect(answer.body.state).to.equal("failed");
    expect(answer.body.failure).to.deep.include({ stage: "clean-air", code: "INSUFFICIENT_ESCROW" });
    expect(states(answer.body)).to.deep.equal({ "clean-air": "failed", "clean-traffic": "failed", join: "dropped" });
    expect(await book.get(answer.body.stages[2].requestHash)).to.equal(undefined);
  });

  it("refuses a cycle, a stage order that says something else than the document, and a second submission", async function () {
    const cyclic = fanIn("cyclic");
    cyclic.stages[1]!.inputs.push({ stage: "join" });
    const good = await signed(fanIn("good"));
    const cyclicBody = { ...good.body, pipeline: { ...good.body.pipeline, document: cyclic } };
    const cycle = await post(cyclicBody);
    expect([cycle.status, cycle.body.error.code]).to.deep.equal([400, "PIPELINE_CYCLE"]);

    const changed = structuredClone(good.body);
    changed.orders[2]!.order.workerpoolMaxPrice = "999";
    const mismatch = await post(changed);
    expect([mismatch.status, mismatch.body.error.code]).to.deep.equal([400, "STAGE_ORDER_MISMATCH"]);
    expect(mismatch.body.error.message).to.contain("workerpoolMaxPrice");

    const missing = { ...good.body, orders: good.body.orders.slice(0, 2) };
    expect((await post(missing)).body.error.code).to.equal("STAGE_ORDER_MISMATCH");

    expect((await post(good.body)).status).to.equal(201);
    const again = await post(good.body);
    expect([again.status, again.body.error.code]).to.deep.equal([409, "PIPELINE_EXISTS"]);
  });

  it("serves the JSON Schema, answers unknown and malformed ids, and documents every route", async function () {
    expect(await (await fetch(url("/v1/pipelines/schema"))).json()).to.deep.equal(pipelineJsonSchema());
    const unknown = await fetch(url(`/v1/pipelines/0x${"ab".repeat(32)}`));
    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as any).error.code).to.equal("PIPELINE_NOT_FOUND");
    expect((await fetch(url("/v1/pipelines/0x12"))).status).to.equal(400);
    const operations = await expectRoutesDocumented(app, server.url);
    expect(operations).to.include.members(["POST /v1/pipelines", "GET /v1/pipelines/schema", "GET /v1/pipelines/{id}"]);
  });
});
