// `continuum request watch` on requests whose tasks failed for good, through the real CLI against
// the market's request-status route over real HTTP, on a ledger the indexer builds from the
// Hardhat network: the failure is printed with its reason and the command exits 1 with TASK_FAILED,
// also when the failure lands on-chain while the command is watching.
import { expect } from "chai";
import type { DataSource } from "typeorm";
import type { HttpServer } from "../../../src/http/index.ts";
import type { ChainIndexer } from "../../../src/indexer/index.ts";
import { bookEntities, bookMigrations } from "../../../src/market/book/index.ts";
import { createRequestStatusRoutes } from "../../../src/market/routes/requestStatus.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { Ledger } from "../../../src/persistence/ledger/index.ts";
import { FAILURE_CAUSE } from "../../../src/wire/eip712/index.ts";
import { databaseBackends } from "../../unit/persistence/databaseBackends.ts";
import { failTask, loadFailureScenario, type FailureScenario } from "../indexer/support/failureScenario.ts";
import { newIndexer } from "../indexer/support/indexerHarness.ts";
import { openLedgerDatabase } from "../indexer/support/ledgerDatabase.ts";
import { match, teeOrders } from "../indexer/support/scenario.ts";
import { marketFor, serveMarketApp } from "../market/marketFixture.ts";
import { errorLine, runCli } from "./cliTestKit.ts";

describe("continuum request watch, when a task fails", function () {
  this.timeout(120_000);
  let scenario: FailureScenario;
  let db: DataSource;
  let indexer: ChainIndexer;
  let server: HttpServer;
  let dataDir: TemporaryDirectory;

  before(async function () {
    scenario = await loadFailureScenario();
    const [pglite] = await databaseBackends();
    db = await openLedgerDatabase(await pglite.freshTarget(), { entities: bookEntities, migrations: bookMigrations });
    ({ indexer } = newIndexer(scenario.f, db, { pollIntervalMs: 100 }));
    await indexer.catchUp();
    indexer.start();
    const { book } = marketFor(scenario.f, db);
    ({ server } = await serveMarketApp({ modules: [createRequestStatusRoutes(new Ledger(db), { book })] }));
    dataDir = await createTemporaryDirectory("continuum-cli-watch-");
  });

  after(async function () {
    await indexer?.stop();
    await server?.close();
    await db?.destroy();
    await dataDir?.remove();
  });

  const watch = (hash: string, options: string[] = [], onStderr?: (stderr: string) => void) =>
    runCli(["--data-dir", dataDir.path, "--market-url", server.url, "request", "watch", hash, "--interval", "1s", ...options], { onStderr });
  const short = (id: string) => `${id.slice(0, 10)}…`;

  it("prints the failed task with its reason and attempts, then exits 1 with TASK_FAILED", async function () {
    const { dealId, requestHash } = scenario.failedOne;
    const run = await watch(requestHash);
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stderr).to.include(
      `task 0 of deal ${short(dealId)}: failed — APP_OWNER_CAUSED after 2 attempts: the SMS blamed the app owner`,
    );
    expect(run.stderr).to.include(`deal ${dealId}: 0/1 completed, 0 claimed, 1 failed`);
    expect(run.stdout).to.match(/^status\s+failed$/m);
    expect(run.stdout).to.match(/^tasks\s+0 completed, 1 failed, 0 claimed, 0 pending of 1$/m);
    const { code, message } = errorLine(run);
    expect(code).to.equal("TASK_FAILED");
    expect(message).to.include(`1 of 1 task(s) failed (task 0 of deal ${short(dealId)}: APP_OWNER_CAUSED after 2 attempts)`);
  });

  it("fails a request whose task was claimed after the deadline, naming DEADLINE_PASSED", async function () {
    const run = await watch(scenario.claimed.requestHash);
    expect(run.code, run.stderr).to.equal(1);
    expect(run.stderr).to.include(`task 1 of deal ${short(scenario.claimed.dealId)}: claimed — DEADLINE_PASSED: no result by the deadline`);
    expect(errorLine(run)).to.deep.include({ code: "TASK_FAILED" });
  });

  it("follows a pending task and stops with TASK_FAILED once the failure is settled on-chain and indexed", async function () {
    const { f } = scenario;
    const fresh = await match(f, await teeOrders(f, 1n));
    await indexer.catchUp();
    let sawPending: () => void = () => {};
    const pendingShown = new Promise<void>((resolve) => (sawPending = resolve));
    const running = watch(fresh.requestHash, ["--timeout", "60s"], (stderr) => {
      if (stderr.includes(`task 0 of deal ${short(fresh.dealId)}: pending`)) sawPending();
    });
    await Promise.race([pendingShown, running]);
    await failTask(f, fresh, 0n, FAILURE_CAUSE.requester, 3);
    const run = await running;
    expect(run.code, run.stderr).to.equal(1);
    const taskLines = run.stderr.split("\n").filter((line) => line.startsWith(`  task 0 of deal ${short(fresh.dealId)}`));
    expect(taskLines).to.deep.equal([
      `  task 0 of deal ${short(fresh.dealId)}: pending`,
      `  task 0 of deal ${short(fresh.dealId)}: failed — REQUESTER_CAUSED after 3 attempts: ` +
        "the SMS blamed the requester: a requester secret is missing or the request's inputs are invalid",
    ]);
    expect(errorLine(run).code).to.equal("TASK_FAILED");
  });
});
