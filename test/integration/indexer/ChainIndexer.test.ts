// Specifies the chain indexer on the real Hardhat network with PGlite and the PostgreSQL server:
// it resumes from its cursor after a restart, replaying indexed blocks changes nothing, the newest
// `confirmations` blocks wait, and blocks replaced by a reorganization are rewound.
import { expect } from "chai";
import type { DataSource } from "typeorm";
import { indexerRepositories } from "../../../src/persistence/index.ts";
import { LEDGER_CURSOR_NAME, Ledger } from "../../../src/persistence/ledger/index.ts";
import { by, plainResult } from "../../helpers/protocolFixture.ts";
import { databaseBackends, describeBackend, type DatabaseTarget } from "../../unit/persistence/databaseBackends.ts";
import { expectLedgerMatchesChain } from "./support/chainAudit.ts";
import { newIndexer } from "./support/indexerHarness.ts";
import { dumpLedger, openLedgerDatabase } from "./support/ledgerDatabase.ts";
import { loadScenario, match, plainOrders, wait, type Scenario } from "./support/scenario.ts";
import { NodeControl } from "../../../src/devnet/chain/nodeControl.ts";

for (const backend of await databaseBackends()) {
  describeBackend(backend, "ChainIndexer on the Hardhat network", () => {
    let scenario: Scenario;
    let target: DatabaseTarget;
    let db: DataSource;

    beforeEach(async () => {
      scenario = await loadScenario();
      target = await backend.freshTarget();
      db = await openLedgerDatabase(target);
    });

    afterEach(async () => {
      if (db?.isInitialized) await db.destroy();
    });

    after(() => backend.cleanup());

    const head = () => scenario.f.ethers.provider.getBlockNumber();
    const cursorBlock = async (database: DataSource) => (await indexerRepositories(database).cursors.get(LEDGER_CURSOR_NAME))?.lastBlock;
    const storedEventCount = async (database: DataSource) => Number((await database.query(`SELECT count(*)::int AS n FROM chain_event`))[0].n);
    const deposit = (amount: bigint) => wait(by(scenario.f.continuum, scenario.f.stranger).deposit(amount));
    const depositsOf = async (amount: bigint) =>
      (await new Ledger(db).payments({ kind: "deposit", address: scenario.f.stranger.address }, { limit: 500 })).items.filter(
        (payment) => payment.amount === amount.toString(),
      );

    /**
     * Compares the ledger with a fresh index of the whole chain in a new schema, then keeps the
     * fresh database open in its place (PGlite opens one directory once per process).
     */
    async function expectSameAsFreshIndex(): Promise<void> {
      const incremental = await dumpLedger(db);
      await db.destroy();
      db = await openLedgerDatabase(await backend.freshTarget());
      await newIndexer(scenario.f, db).indexer.catchUp();
      expect(incremental).to.deep.equal(await dumpLedger(db));
    }

    /** The scenario transferred app 1 to the stranger, who now signs its app orders. */
    /** The scenario ends with the app transferred to the stranger: its orders now sign the app's epoch 1. */
    const matchPlain = async (volume: bigint) => {
      const orders = await plainOrders(scenario.f, volume);
      return match(scenario.f, { ...orders, app: { ...orders.app, assetEpoch: 1n } }, { app: scenario.f.stranger });
    };

    describe("restart", () => {
      it("resumes from its stored cursor, never re-reading from the deployment block", async () => {
        const first = newIndexer(scenario.f, db, { batchBlocks: 5 });
        await first.indexer.syncOnce();
        await first.indexer.syncOnce();
        const stoppedAt = await cursorBlock(db);
        expect(stoppedAt).to.equal(scenario.f.deployment.deployBlock + 9);
        await db.destroy();

        db = await openLedgerDatabase(target);
        const second = newIndexer(scenario.f, db, { batchBlocks: 5 });
        const result = await second.indexer.catchUp();
        expect(result.from).to.equal(stoppedAt! + 1);
        expect(result.to).to.equal(await head());
        expect(second.applied.every((event) => event.blockNumber > stoppedAt!)).to.equal(true);

        const keys = [...first.applied, ...second.applied].map((event) => `${event.transactionHash}:${event.logIndex}`);
        expect(new Set(keys).size, "no event applied twice").to.equal(keys.length);
        expect(keys.length).to.equal(await storedEventCount(db));
        await expectLedgerMatchesChain(db, scenario.f);
        await expectSameAsFreshIndex();
      });

      it("picks up only the blocks mined while it was stopped", async () => {
        await newIndexer(scenario.f, db).indexer.catchUp();
        const stoppedAt = await cursorBlock(db);
        await db.destroy();
        await deposit(41n);
        await deposit(43n);

        db = await openLedgerDatabase(target);
        const restarted = newIndexer(scenario.f, db);
        const result = await restarted.indexer.catchUp();
        expect(result).to.deep.equal({ from: stoppedAt! + 1, to: stoppedAt! + 2, events: 2 });
        expect(restarted.applied.map((event) => [event.name, event.args.amount])).to.deep.equal([
          ["Deposited", "41"],
          ["Deposited", "43"],
        ]);
        await expectLedgerMatchesChain(db, scenario.f);
      });
    });

    describe("replay", () => {
      it("changes nothing when an indexed range is read again", async () => {
        await newIndexer(scenario.f, db, { batchBlocks: 7 }).indexer.catchUp();
        const before = await dumpLedger(db);
        const replayFrom = scenario.f.deployment.deployBlock + 3;
        const replayBlock = (await scenario.f.ethers.provider.getBlock(replayFrom))!;
        await indexerRepositories(db).cursors.set(LEDGER_CURSOR_NAME, { block: replayFrom, blockHash: replayBlock.hash! });

        const replay = newIndexer(scenario.f, db, { batchBlocks: 7 });
        const result = await replay.indexer.catchUp();
        expect(result.from).to.equal(replayFrom + 1);
        expect(result.to).to.equal(await head());
        expect(result.events, "events applied by the replay").to.equal(0);
        expect(replay.applied).to.deep.equal([]);
        expect(await dumpLedger(db)).to.deep.equal(before);
      });

      it("applies only the new events of a range that overlaps indexed blocks", async () => {
        await newIndexer(scenario.f, db).indexer.catchUp();
        const indexedHead = await head();
        await deposit(47n);
        const replayBlock = (await scenario.f.ethers.provider.getBlock(indexedHead - 4))!;
        await indexerRepositories(db).cursors.set(LEDGER_CURSOR_NAME, { block: replayBlock.number, blockHash: replayBlock.hash! });

        const replay = newIndexer(scenario.f, db);
        await replay.indexer.catchUp();
        expect(replay.applied.map((event) => event.name)).to.deep.equal(["Deposited"]);
        expect(await depositsOf(47n)).to.have.length(1);
        await expectLedgerMatchesChain(db, scenario.f);
        await expectSameAsFreshIndex();
      });
    });

    describe("confirmations", () => {
      it("leaves the newest blocks unindexed until enough blocks are mined on top", async () => {
        await deposit(51n);
        await deposit(53n);
        await deposit(59n);
        const { indexer } = newIndexer(scenario.f, db, { confirmations: 3 });

        const first = await indexer.catchUp();
        expect(first.to).to.equal((await head()) - 3);
        expect(await cursorBlock(db)).to.equal((await head()) - 3);
        expect(await depositsOf(51n), "deposit with 2 blocks on top").to.deep.equal([]);
        expect(await depositsOf(59n), "deposit in the head block").to.deep.equal([]);

        const idle = await indexer.syncOnce();
        expect(idle.to, "nothing confirmed yet").to.be.lessThan(idle.from);

        await scenario.f.connection.networkHelpers.mine(1);
        await indexer.catchUp();
        expect(await depositsOf(51n)).to.have.length(1);
        expect(await depositsOf(53n)).to.deep.equal([]);

        await scenario.f.connection.networkHelpers.mine(2);
        await indexer.catchUp();
        expect(await depositsOf(53n)).to.have.length(1);
        expect(await depositsOf(59n)).to.have.length(1);
        expect(await cursorBlock(db)).to.equal((await head()) - 3);
        await expectLedgerMatchesChain(db, scenario.f);
      });
    });

    describe("reorganization", () => {
      it("rewinds the replaced blocks and indexes the new ones in their place", async () => {
        const { f } = scenario;
        const recording = newIndexer(f, db);
        await recording.indexer.catchUp();
        const forkBlock = (await head()) + 1;
        const node = await NodeControl.of(f.ethers.provider);
        const snapshot = await node.snapshot();

        const orphanDeposit = await deposit(61n);
        const orphanDeal = await matchPlain(1n);
        await wait(by(f.continuum, f.worker).pushResult(orphanDeal.deal, await plainResult(f, orphanDeal.dealId, 0n)));
        await recording.indexer.catchUp();
        const orphanHead = await head();
        expect(await new Ledger(db).deal(orphanDeal.dealId)).to.not.equal(undefined);
        expect(await depositsOf(61n)).to.have.length(1);

        await node.revert(snapshot);
        await deposit(67n);
        const newDeal = await matchPlain(2n);
        await f.connection.networkHelpers.mine(2);
        expect(await head(), "the new branch reaches past the orphaned head").to.be.greaterThan(orphanHead);

        await recording.indexer.catchUp();
        expect(recording.rewound).to.deep.equal([forkBlock]);
        const ledger = new Ledger(db);
        expect(await ledger.deal(orphanDeal.dealId), "deal of an orphaned block").to.equal(undefined);
        expect(await depositsOf(61n), "deposit of an orphaned block").to.deep.equal([]);
        expect(await ledger.deal(newDeal.dealId)).to.deep.include({ volume: "2", status: "open" });
        expect(await depositsOf(67n)).to.have.length(1);
        const orphanEvents: { n: number }[] = await db.query(
          `SELECT count(*)::int AS n FROM chain_event WHERE lower(tx_hash) = lower($1)`,
          [orphanDeposit.hash],
        );
        expect(orphanEvents[0].n, "stored events of an orphaned transaction").to.equal(0);
        await expectLedgerMatchesChain(db, f);
        await expectSameAsFreshIndex();
      });

      it("rewinds when the new branch is shorter than the blocks it indexed", async () => {
        const { f } = scenario;
        const recording = newIndexer(f, db);
        await recording.indexer.catchUp();
        const forkBlock = (await head()) + 1;
        const node = await NodeControl.of(f.ethers.provider);
        const snapshot = await node.snapshot();
        await deposit(89n);
        await deposit(97n);
        await deposit(101n);
        await recording.indexer.catchUp();

        await node.revert(snapshot);
        await deposit(103n);
        await recording.indexer.catchUp();
        expect(recording.rewound).to.deep.equal([forkBlock]);
        expect(await cursorBlock(db)).to.equal(forkBlock);
        for (const orphan of [89n, 97n, 101n]) expect(await depositsOf(orphan)).to.deep.equal([]);
        expect(await depositsOf(103n)).to.have.length(1);
        await expectLedgerMatchesChain(db, f);
      });

      it("rebuilds from the deployment block when the fork is below every stored block hash", async () => {
        const { f } = scenario;
        const node = await NodeControl.of(f.ethers.provider);
        const snapshot = await node.snapshot();
        await deposit(71n);
        await deposit(73n);
        const recording = newIndexer(f, db, { reorgDepth: 1 });
        await recording.indexer.catchUp();
        await deposit(79n);
        await recording.indexer.catchUp();
        const stored: { n: number }[] = await db.query(`SELECT min(number)::int AS n FROM indexed_block`);
        expect(stored[0].n, "hashes kept only near the head").to.be.greaterThan((await head()) - 3);

        await node.revert(snapshot);
        await deposit(83n);
        await f.connection.networkHelpers.mine(4);
        await recording.indexer.catchUp();
        expect(recording.rewound).to.deep.equal([f.deployment.deployBlock]);
        for (const orphan of [71n, 73n, 79n]) expect(await depositsOf(orphan)).to.deep.equal([]);
        expect(await depositsOf(83n)).to.have.length(1);
        await expectLedgerMatchesChain(db, f);
        await expectSameAsFreshIndex();
      });
    });
  });
}
