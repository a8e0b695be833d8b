// Specification of the explorer's pipeline page, in headless Chromium, on a pipeline the market
// really holds and the chain really moved: the DAG is drawn with each stage filled by its state's
// colour (checked from the pixels of a screenshot, not only the markup), the stage table links
// each stage's request, deal and task, and a stage's deal page links back to its pipeline from the
// deal's params alone.
import { existsSync } from "node:fs";
import { expect } from "chai";
import { chromium, type Browser } from "playwright-core";
import type { DataSource } from "typeorm";
import type { ChainIndexer } from "../../../src/indexer/index.ts";
import type { HttpServer } from "../../../src/http/index.ts";
import { readTokenUnit } from "../../../src/chain/tokenUnit.ts";
import { bookEntities, bookMigrations } from "../../../src/market/book/index.ts";
import { explorerPages } from "../../../src/market/explorer/index.ts";
import { stageFill } from "../../../src/market/explorer/pipelineDag.ts";
import { PipelineOrchestrator, PipelineStore, pipelineMigrations } from "../../../src/market/pipelines/index.ts";
import { createPipelineRoutes } from "../../../src/market/routes/pipelines.ts";
import { followChain } from "../../../src/market/service/chainFollower.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { Ledger } from "../../../src/persistence/ledger/index.ts";
import { signPipeline, type PipelineDocument, type SignedPipelineSubmission } from "../../../src/wire/pipelines/index.ts";
import { by, defaultOrders, emptyDatasetOrder, loadProtocol, matchDeal, teeResult, type Fixture } from "../../helpers/protocolFixture.ts";
import { decodePng, rgbOf, sameColour } from "../../helpers/pngPixels.ts";
import { databaseBackends } from "../../unit/persistence/databaseBackends.ts";
import { newIndexer } from "../indexer/support/indexerHarness.ts";
import { openLedgerDatabase } from "../indexer/support/ledgerDatabase.ts";
import { marketFor, serveMarketApp } from "./marketFixture.ts";

const CHROMIUM = "/usr/bin/chromium";
const PRICES = { app: "5", dataset: "3", workerpool: "10" };

const airQualityByDistrict: PipelineDocument = {
  version: 1,
  name: "air quality by district",
  stages: [
    { id: "clean-air", app: "1", inputs: [{ dataset: "1" }], category: "1", prices: PRICES },
    { id: "clean-traffic", app: "1", inputs: [], category: "1", prices: PRICES },
    { id: "join", app: "1", inputs: [{ stage: "clean-air" }, { stage: "clean-traffic" }], category: "1", prices: PRICES },
  ],
};

describe("explorer pipeline page", function () {
  let f: Fixture;
  let db: DataSource;
  let indexer: ChainIndexer;
  let orchestrator: PipelineOrchestrator;
  let server: HttpServer;
  let browser: Browser;
  let submission: SignedPipelineSubmission;
  let airDealId: string;

  before(async function () {
    // .ci/run installs Debian's chromium; a machine without it fails here rather than skipping.
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does)`);
    f = await loadProtocol();
    const [pglite] = await databaseBackends();
    db = await openLedgerDatabase(await pglite.freshTarget(), { entities: bookEntities, migrations: [...bookMigrations, ...pipelineMigrations] });
    ({ indexer } = newIndexer(f, db));
    const ledger = new Ledger(db);
    const market = marketFor(f, db);
    const onApplied = followChain({ book: market.book, publish: () => undefined, logger: silentLogger() });
    indexer.on("applied", (events) => void onApplied(events));
    await indexer.catchUp();
    const store = new PipelineStore(db);
    orchestrator = new PipelineOrchestrator({ store, ledger, intake: market.intake, book: market.book, chainTime: () => market.chain.latestTimestamp(), logger: silentLogger() });
    const token = await readTokenUnit(f.ethers.provider, f.deployment.token);
    ({ server } = await serveMarketApp({
      modules: [createPipelineRoutes({ store, orchestrator, domain: f.domain })],
      pages: [explorerPages(ledger, { token, pipelines: orchestrator })],
    }));
    browser = await chromium.launch({ executablePath: CHROMIUM });

    // clean-air completes, clean-traffic is matched and running, the join waits on it.
    const block = await f.ethers.provider.getBlock("latest");
    submission = await signPipeline(f.requester, f.domain, airQualityByDistrict, { resultPublicKey: `0x${"07".repeat(32)}`, expiry: BigInt(block!.timestamp) + 86_400n });
    const posted = await fetch(`${server.url}/v1/pipelines`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(submission.body) });
    expect(posted.status, await posted.clone().text()).to.equal(201);
    const match = async (stage: string) => {
      const { order } = submission.orders.get(stage)!;
      return matchDeal(f, await defaultOrders(f, { request: order, ...(order.dataset === 0n ? { dataset: emptyDatasetOrder() } : {}) }));
    };
    const air = await match("clean-air");
    airDealId = air.dealId;
    await (await by(f.continuum, f.poolOwner).pushResult(air.deal, await teeResult(f, air.dealId, 0n, { cid: "bafyairqualitycleaned" }))).wait();
    await match("clean-traffic");
    await indexer.catchUp();
    await orchestrator.advanceAll();
  });

  after(async function () {
    await browser?.close();
    await orchestrator?.stop();
    await server?.close();
    await db?.destroy();
  });

  it("draws each stage in its state's colour, as a screenshot shows", async function () {
    const tab = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    const response = await tab.goto(`${server.url}/explorer/pipelines/${submission.id}`);
    expect(response!.status()).to.equal(200);
    const shot = decodePng(await tab.screenshot({ fullPage: true }));
    const expected = { "clean-air": "completed", "clean-traffic": "matched", join: "waiting" };
    for (const [stage, state] of Object.entries(expected)) {
      const box = (await tab.locator(`g.stage[data-stage="${stage}"] rect`).boundingBox())!;
      expect(box, `${stage} is drawn`).to.not.equal(null);
      // Inside the box, right of its text.
      const pixel = shot.at(box.x + box.width - 10, box.y + 8);
      expect(sameColour(pixel, rgbOf(stageFill(state))), `${stage} drawn ${pixel}, ${state} is ${stageFill(state)}`).to.equal(true);
    }
    // Two arrows into the join, none elsewhere.
    expect(await tab.locator('path.edge[data-to="join"]').count()).to.equal(2);
    expect(await tab.locator("path.edge").count()).to.equal(2);
    await tab.close();
  });

  it("lists each stage with its state, deal, task and result, and links a completed stage to its deal", async function () {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}/explorer/pipelines/${submission.id}`);
    const rows = await tab.locator("table.stages tbody tr").evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-stage"), tr.querySelector(".status")!.textContent]));
    expect(rows).to.deep.equal([
      ["clean-air", "completed"],
      ["clean-traffic", "matched"],
      ["join", "waiting"],
    ]);
    const air = tab.locator('table.stages tr[data-stage="clean-air"]');
    expect(await air.locator("code.cid").getAttribute("title")).to.equal("bafyairqualitycleaned");
    // Clicking the stage in the drawing leads to its deal, whose page names the pipeline from the chain's params.
    await tab.locator('g.stage[data-stage="clean-air"]').click();
    expect(tab.url()).to.equal(`${server.url}/explorer/deals/${airDealId}`);
    await tab.locator(`a[href="/explorer/pipelines/${submission.id}"]`).click();
    expect(tab.url()).to.equal(`${server.url}/explorer/pipelines/${submission.id}`);
    await tab.close();
  });

  it("answers an unknown or malformed pipeline id with the API's codes, as a page", async function () {
    const unknown = await fetch(`${server.url}/explorer/pipelines/0x${"ab".repeat(32)}`);
    expect(unknown.status).to.equal(404);
    expect(await unknown.text()).to.contain("PIPELINE_NOT_FOUND");
    const malformed = await fetch(`${server.url}/explorer/pipelines/not-an-id`);
    expect(malformed.status).to.equal(400);
    expect(await malformed.text()).to.contain("INVALID_PIPELINE_ID");
  });
});
