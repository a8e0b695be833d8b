// Specifies the full rebuild of the ledger from a real Hardhat chain into PGlite and PostgreSQL:
// escrow, reputation, order states and owners equal the contracts' state, and the ledger is the
// same whatever the block range size.
import { expect } from "chai";
import type { DataSource } from "typeorm";
import { Ledger } from "../../../src/persistence/ledger/index.ts";
import { databaseBackends, describeBackend } from "../../unit/persistence/databaseBackends.ts";
import { expectLedgerMatchesChain } from "./support/chainAudit.ts";
import { newIndexer } from "./support/indexerHarness.ts";
import { countRows, dumpLedger, openLedgerDatabase } from "./support/ledgerDatabase.ts";
import { loadScenario, type Scenario } from "./support/scenario.ts";

for (const backend of await databaseBackends()) {
  describeBackend(backend, "ledger rebuilt from the chain", () => {
    let scenario: Scenario;
    let db: DataSource;

    before(async () => {
      scenario = await loadScenario();
      db = await openLedgerDatabase(await backend.freshTarget());
      await newIndexer(scenario.f, db, { batchBlocks: 7 }).indexer.catchUp();
    });

    after(async () => {
      await db?.destroy();
      await backend.cleanup();
    });

    it("holds every escrow account, reputation, order state and owner exactly as the contracts do", async () => {
      await expectLedgerMatchesChain(db, scenario.f);
    });

    it("projects every kind of fact the scenario produced", async () => {
      expect(await countRows(db)).to.deep.equal({
        ledger_category: 2,
        ledger_asset: 4,
        ledger_asset_event: 8,
        ledger_deal: 6,
        ledger_task: 9,
        ledger_payment: 44,
        ledger_escrow_account: 5,
        ledger_order_event: 4,
        ledger_order_state: 24,
        ledger_reputation: 2,
      });
    });

    it("records the task outcomes and settlement of each deal", async () => {
      const ledger = new Ledger(db);
      expect(await ledger.deal(scenario.completed.dealId)).to.deep.include({
        status: "completed",
        taskCounts: { total: "3", completed: "3", failed: "0", claimed: "0", pending: "0" },
      });
      expect(await ledger.deal(scenario.mixed.dealId)).to.deep.include({
        status: "settled",
        dataset: "0",
        taskCounts: { total: "2", completed: "1", failed: "0", claimed: "1", pending: "0" },
      });
      expect(await ledger.deal(scenario.partialSecond.dealId)).to.deep.include({
        status: "open",
        taskCounts: { total: "3", completed: "0", failed: "0", claimed: "0", pending: "3" },
      });
      const unstaked = await ledger.payments({ deal: scenario.unstaked.dealId }, { limit: 50, order: "asc" });
      expect(unstaked.items.map((payment) => payment.kind)).to.deep.equal(["lock", "payout_app", "payout_workerpool"]);
    });

    it("builds the same ledger from one range as from many small ones", async () => {
      const fromSmallRanges = await dumpLedger(db);
      await db.destroy();
      db = await openLedgerDatabase(await backend.freshTarget());
      const result = await newIndexer(scenario.f, db, { batchBlocks: 10_000 }).indexer.catchUp();
      expect(result.from).to.equal(scenario.f.deployment.deployBlock);
      expect(await dumpLedger(db)).to.deep.equal(fromSmallRanges);
    });
  });
}
