// Specifies how the ledger records tasks that failed for good, on the real Hardhat network with
// PGlite and the PostgreSQL server: each TaskFailed becomes a failed task with its cause, attempt
// and proving log, escrow moves as the contract settles each cause, deal and request counts and
// statuses follow, a reorganization rewinds a failure, and a ledger built before TaskFailed was
// projected is emptied by the migration and rebuilt.
import { expect } from "chai";
import type { Log } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { indexerEntities, indexerMigrations, openDataSource } from "../../../src/persistence/index.ts";
import {
  CreateLedgerTables1795390000000,
  Ledger,
  ledgerEntities,
  type PaymentRecord,
  type TaskRecord,
} from "../../../src/persistence/ledger/index.ts";
import { FAILURE_CAUSE } from "../../../src/wire/eip712/index.ts";
import { databaseBackends, describeBackend, type DatabaseTarget } from "../../unit/persistence/databaseBackends.ts";
import { expectLedgerMatchesChain } from "./support/chainAudit.ts";
import { failTask, loadFailureScenario, type FailureScenario } from "./support/failureScenario.ts";
import { newIndexer } from "./support/indexerHarness.ts";
import { dumpLedger, openLedgerDatabase } from "./support/ledgerDatabase.ts";
import { match, teeOrders, type MatchedDeal } from "./support/scenario.ts";

for (const backend of await databaseBackends()) {
  describeBackend(backend, "ledger of failed tasks", () => {
    let scenario: FailureScenario;
    let target: DatabaseTarget;
    let db: DataSource;

    beforeEach(async () => {
      scenario = await loadFailureScenario();
      target = await backend.freshTarget();
      db = await openLedgerDatabase(target);
    });

    afterEach(async () => {
      if (db?.isInitialized) await db.destroy();
    });

    after(() => backend.cleanup());

    async function chainEvents(name: string): Promise<{ log: Log; args: Record<string, unknown> }[]> {
      const { continuum, deployment } = scenario.f;
      const logs = await continuum.queryFilter(continuum.getEvent(name as never), deployment.deployBlock);
      return logs.map((log) => ({ log, args: continuum.interface.parseLog(log)!.args.toObject() }));
    }

    async function taskOf(deal: MatchedDeal, index: number): Promise<TaskRecord> {
      const page = await new Ledger(db).dealTasks(deal.dealId, { limit: 100 });
      return page!.items[index]!;
    }

    async function paymentsOf(deal: MatchedDeal, index: string): Promise<PaymentRecord[]> {
      const page = await new Ledger(db).payments({ deal: deal.dealId }, { limit: 100, order: "asc" });
      return page.items.filter((payment) => payment.taskIndex === index);
    }

    it("records each TaskFailed as a failed task with its reason, attempt and the log that proves it", async () => {
      await newIndexer(scenario.f, db).indexer.catchUp();
      const logs = await chainEvents("TaskFailed");
      expect(logs).to.have.length(4);
      const failed = (await new Ledger(db).tasks({ status: "failed" }, { limit: 50, order: "asc" })).items;
      expect(failed.map((task) => `${task.transactionHash}:${task.logIndex}`)).to.deep.equal(
        logs.map(({ log }) => `${log.transactionHash}:${log.index}`),
      );
      for (const { log, args } of logs) {
        const task = failed.find((candidate) => candidate.taskId === String(args.taskId))!;
        expect(task).to.deep.include({
          dealId: String(args.dealId).toLowerCase(),
          index: String(args.index),
          status: "failed",
          resultCid: null,
          blockNumber: log.blockNumber,
        });
      }
      expect((await taskOf(scenario.running, 1)).failure).to.deep.equal({ code: "REQUESTER_CAUSED", attempts: 3 });
      expect((await taskOf(scenario.failedOne, 0)).failure).to.deep.equal({ code: "APP_OWNER_CAUSED", attempts: 2 });
      expect((await taskOf(scenario.batch, 0)).failure).to.deep.equal({ code: "DATASET_OWNER_CAUSED", attempts: 1 });
      expect((await taskOf(scenario.batch, 1)).failure).to.deep.equal({ code: "REQUESTER_CAUSED", attempts: 2 });
      expect((await taskOf(scenario.claimed, 1)).failure).to.deep.equal({ code: "DEADLINE_PASSED", attempts: null });
      for (const [deal, index] of [[scenario.running, 0], [scenario.running, 2], [scenario.claimed, 0]] as const) {
        expect((await taskOf(deal, index)).failure, `task ${index} of a deal`).to.equal(null);
      }
    });

    it("moves escrow as the contract settles each cause, and the ledger equals the chain", async () => {
      await newIndexer(scenario.f, db).indexer.catchUp();
      await expectLedgerMatchesChain(db, scenario.f);
      const { deal } = scenario.running;
      const kinds = (payments: PaymentRecord[]) => payments.map((payment) => [payment.kind, payment.amount]);
      expect(kinds(await paymentsOf(scenario.running, "1")), "the requester to blame").to.deep.equal([
        ["payout_workerpool", deal.workerpoolPrice.toString()],
        ["refund", (deal.appPrice + deal.datasetPrice).toString()],
        ["stake_release", deal.stakePerTask.toString()],
      ]);
      expect(kinds(await paymentsOf(scenario.failedOne, "0")), "the app owner to blame").to.deep.equal([
        ["refund", (deal.appPrice + deal.datasetPrice + deal.workerpoolPrice).toString()],
        ["stake_release", deal.stakePerTask.toString()],
      ]);
      expect((await paymentsOf(scenario.batch, "0")).map((payment) => payment.kind)).to.deep.equal(["refund", "stake_release"]);
      expect((await paymentsOf(scenario.batch, "1")).map((payment) => payment.kind)).to.deep.equal(["payout_workerpool", "refund", "stake_release"]);
    });

    it("counts failed tasks in their deal and request, whose status says failed once every task is final", async () => {
      await newIndexer(scenario.f, db).indexer.catchUp();
      const ledger = new Ledger(db);
      expect(await ledger.deal(scenario.running.dealId)).to.deep.include({
        status: "open",
        taskCounts: { total: "3", completed: "1", failed: "1", claimed: "0", pending: "1" },
      });
      expect(await ledger.deal(scenario.failedOne.dealId)).to.deep.include({
        status: "failed",
        taskCounts: { total: "1", completed: "0", failed: "1", claimed: "0", pending: "0" },
      });
      expect(await ledger.deal(scenario.batch.dealId)).to.deep.include({ status: "failed" });
      expect(await ledger.deal(scenario.claimed.dealId)).to.deep.include({ status: "settled" });
      expect((await ledger.requestStatus(scenario.running.requestHash))?.status).to.equal("running");
      expect(await ledger.requestStatus(scenario.failedOne.requestHash)).to.deep.include({
        status: "failed",
        taskCounts: { total: "1", completed: "0", failed: "1", claimed: "0", pending: "0" },
      });
    });

    it("builds the same ledger from many small block ranges as from one", async () => {
      await newIndexer(scenario.f, db, { batchBlocks: 2 }).indexer.catchUp();
      const fromSmallRanges = await dumpLedger(db);
      await db.destroy();
      db = await openLedgerDatabase(await backend.freshTarget());
      await newIndexer(scenario.f, db, { batchBlocks: 10_000 }).indexer.catchUp();
      expect(await dumpLedger(db)).to.deep.equal(fromSmallRanges);
    });

    it("rewinds a failure a reorganization dropped, leaving the task pending again", async () => {
      const { f } = scenario;
      const recording = newIndexer(f, db);
      const fresh = await match(f, await teeOrders(f, 1n));
      await recording.indexer.catchUp();
      const snapshot: string = await f.ethers.provider.send("evm_snapshot", []);
      await failTask(f, fresh, 0n, FAILURE_CAUSE.datasetOwner, 1);
      await recording.indexer.catchUp();
      expect((await taskOf(fresh, 0)).status).to.equal("failed");

      await f.ethers.provider.send("evm_revert", [snapshot]);
      await f.connection.networkHelpers.mine(3);
      await recording.indexer.catchUp();
      expect(recording.rewound).to.have.length(1);
      expect(await taskOf(fresh, 0)).to.deep.include({ status: "pending", failure: null });
      expect(await new Ledger(db).deal(fresh.dealId)).to.deep.include({ status: "open" });
      await expectLedgerMatchesChain(db, f);
    });

    it("empties a ledger that stored TaskFailed before projecting it, so the indexer rebuilds it whole", async () => {
      await db.destroy();
      target = await backend.freshTarget();
      const before = await openDataSource({
        ...target,
        entities: [...indexerEntities, ...ledgerEntities],
        migrations: [...indexerMigrations, CreateLedgerTables1795390000000],
        logger: silentLogger(),
      });
      const [failed] = await chainEvents("TaskFailed");
      const block = (await scenario.f.ethers.provider.getBlock(failed!.log.blockNumber))!;
      await before.query(
        `INSERT INTO chain_event (block_number, block_hash, tx_hash, log_index, event_name, contract, args)
         VALUES ($1, $2, $3, $4, 'TaskFailed', $5, '{}')`,
        [block.number, block.hash, failed!.log.transactionHash, failed!.log.index, scenario.f.deployment.continuum.toLowerCase()],
      );
      await before.query(`INSERT INTO indexer_cursor (name, last_block, last_block_hash) VALUES ('ledger', $1, $2)`, [block.number, block.hash]);
      await before.destroy();

      db = await openLedgerDatabase(target);
      expect(await db.query(`SELECT count(*)::int AS n FROM chain_event`)).to.deep.equal([{ n: 0 }]);
      expect(await new Ledger(db).indexedThrough()).to.equal(null);
      const rebuilt = await newIndexer(scenario.f, db).indexer.catchUp();
      expect(rebuilt.from).to.equal(scenario.f.deployment.deployBlock);
      await expectLedgerMatchesChain(db, scenario.f);
      expect((await taskOf(scenario.failedOne, 0)).status).to.equal("failed");
    });
  });
}
