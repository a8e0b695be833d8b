// `continuum request watch` follows the market's live feed: while the feed is up, the request's
// status is read when an event concerns it, not every --interval; when the feed route fails (a
// proxy answering 503 for /v1/feed) the command polls instead and still sees the task settle.
// The real CLI, over real HTTP, against a ledger the indexer builds from the Hardhat network;
// requests are counted at a proxy in front of the market.
import { expect } from "chai";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import type { HttpServer } from "../../../src/http/index.ts";
import type { ChainIndexer } from "../../../src/indexer/index.ts";
import { bookEntities, bookMigrations } from "../../../src/market/book/index.ts";
import { createFeedRoutes, type FeedModule } from "../../../src/market/routes/feed.ts";
import { createRequestStatusRoutes } from "../../../src/market/routes/requestStatus.ts";
import { followChain } from "../../../src/market/service/chainFollower.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { Ledger } from "../../../src/persistence/ledger/index.ts";
import { FAILURE_CAUSE } from "../../../src/wire/eip712/index.ts";
import { databaseBackends } from "../../unit/persistence/databaseBackends.ts";
import { startHttpProxy, type HttpProxy } from "../../helpers/httpProxy.ts";
import { failTask, loadFailureScenario, type FailureScenario } from "../indexer/support/failureScenario.ts";
import { newIndexer } from "../indexer/support/indexerHarness.ts";
import { openLedgerDatabase } from "../indexer/support/ledgerDatabase.ts";
import { match, teeOrders } from "../indexer/support/scenario.ts";
import { marketFor, serveMarketApp } from "../market/marketFixture.ts";
import { errorLine, runCli } from "./cliTestKit.ts";

describe("continuum request watch on the live feed", function () {
  this.timeout(120_000);
  let scenario: FailureScenario;
  let db: DataSource;
  let indexer: ChainIndexer;
  let feed: FeedModule;
  let server: HttpServer;
  let proxy: HttpProxy;
  let dataDir: TemporaryDirectory;

  before(async function () {
    scenario = await loadFailureScenario();
    const [pglite] = await databaseBackends();
    db = await openLedgerDatabase(await pglite.freshTarget(), { entities: bookEntities, migrations: bookMigrations });
    ({ indexer } = newIndexer(scenario.f, db, { pollIntervalMs: 100 }));
    const { book } = marketFor(scenario.f, db);
    feed = createFeedRoutes({ book, heartbeatMs: 60_000 });
    const onApplied = followChain({ book, publish: (topic, data) => feed.publish(topic, data), logger: silentLogger() });
    indexer.on("applied", (events) => void onApplied(events));
    await indexer.catchUp();
    indexer.start();
    ({ server } = await serveMarketApp({ modules: [createRequestStatusRoutes(new Ledger(db), { book }), feed] }));
    proxy = await startHttpProxy(server.url);
    dataDir = await createTemporaryDirectory("continuum-cli-watch-feed-");
  });

  after(async function () {
    await indexer?.stop();
    feed?.close();
    await proxy?.close();
    await server?.close();
    await db?.destroy();
    await dataDir?.remove();
  });

  const short = (id: string) => `${id.slice(0, 10)}…`;

  /** Watches a fresh pending task through the proxy, fails it on-chain `waitMs` after the pending line, and returns the run with the status reads the proxy saw. */
  async function watchUntilFailed(waitMs: number) {
    const { f } = scenario;
    const fresh = await match(f, await teeOrders(f, 1n));
    await indexer.catchUp();
    let sawPending: () => void = () => {};
    const pendingShown = new Promise<void>((resolve) => (sawPending = resolve));
    const reads = () => proxy.count(`/v1/requests/${fresh.requestHash}`);
    const running = runCli(
      ["--data-dir", dataDir.path, "--market-url", proxy.url, "request", "watch", fresh.requestHash, "--interval", "1s", "--timeout", "60s"],
      { onStderr: (stderr) => void (stderr.includes(`task 0 of deal ${short(fresh.dealId)}: pending`) && sawPending()) },
    );
    await Promise.race([pendingShown, running]);
    const readsWhilePending = reads();
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    const readsBeforeFailure = reads();
    await failTask(f, fresh, 0n, FAILURE_CAUSE.requester, 2);
    const run = await running;
    expect(run.code, run.stderr).to.equal(1);
    expect(errorLine(run).code).to.equal("TASK_FAILED");
    expect(run.stderr).to.include(`task 0 of deal ${short(fresh.dealId)}: failed — REQUESTER_CAUSED after 2 attempts`);
    return { run, readsWhilePending, readsBeforeFailure, readsInAll: reads() };
  }

  it("reads the status when the feed says the request changed, not every --interval", async function () {
    const feedsBefore = proxy.count("/v1/feed");
    const { run, readsWhilePending, readsBeforeFailure, readsInAll } = await watchUntilFailed(4_000);
    expect(proxy.count("/v1/feed") - feedsBefore, "one feed connection").to.equal(1);
    expect(run.stderr).to.include("following the market's live feed");
    // Polling every second for 4 s would have read about 4 more times; on the feed nothing happened, so nothing was read.
    expect(readsBeforeFailure - readsWhilePending, "status reads while nothing happened").to.equal(0);
    // The first read, and one for the task.failed event (events of one block merge into one read).
    expect(readsInAll, "status reads in all").to.be.within(2, 3);
  });

  it("falls back to polling every --interval when the feed route fails", async function () {
    proxy.refuse(/^\/v1\/feed$/, { status: 503, headers: { "retry-after": "0" } });
    try {
      const feedsBefore = proxy.count("/v1/feed");
      const { run, readsWhilePending, readsBeforeFailure } = await watchUntilFailed(4_000);
      expect(run.stderr).to.match(/live feed unavailable \(the feed answered HTTP 503\): polling every 1 s/);
      expect(proxy.count("/v1/feed") - feedsBefore, "the feed was tried, then given up").to.be.within(1, 5);
      // Polled about every second while the feed was down (at least 3 in 4 s on a busy machine).
      expect(readsBeforeFailure - readsWhilePending, "status polls while nothing happened").to.be.at.least(3);
    } finally {
      proxy.refuse(undefined);
    }
  });

  it("polls only with --no-feed", async function () {
    const feedsBefore = proxy.count("/v1/feed");
    const run = await runCli(["--data-dir", dataDir.path, "--market-url", proxy.url, "request", "watch", scenario.failedOne.requestHash, "--no-feed"]);
    expect(run.code, run.stderr).to.equal(1);
    expect(errorLine(run).code).to.equal("TASK_FAILED");
    expect(proxy.count("/v1/feed") - feedsBefore).to.equal(0);
  });
});
