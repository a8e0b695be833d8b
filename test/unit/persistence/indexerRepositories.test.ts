// Specifies the indexer repositories on PGlite and on the PostgreSQL server: cursors, idempotent
// event appends, paging, block hashes for reorg detection, and the rewind after a reorg.
import { expect } from "chai";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import {
  indexerEntities,
  indexerMigrations,
  indexerRepositories,
  openDataSource,
  PersistenceError,
  type IndexerRepositories,
  type NewChainEvent,
} from "../../../src/persistence/index.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";
import { databaseBackends, describeBackend } from "./databaseBackends.ts";

const CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

function hash(seed: number): string {
  return `0x${seed.toString(16).padStart(64, "0")}`;
}

function event(block: number, logIndex: number, eventName = "DealCreated"): NewChainEvent {
  return {
    blockNumber: block,
    blockHash: hash(block),
    txHash: hash(1_000_000 + block * 100 + logIndex),
    logIndex,
    eventName,
    contract: CONTRACT,
    args: { dealId: hash(block), price: 2n ** 255n, tasks: [1n, 2n] },
  };
}

for (const backend of await databaseBackends()) {
  describeBackend(backend, "indexer repositories", () => {
    let dataSource: DataSource;
    let repos: IndexerRepositories;

    beforeEach(async () => {
      const target = await backend.freshTarget();
      dataSource = await openDataSource({
        ...target,
        entities: indexerEntities,
        migrations: indexerMigrations,
        logger: silentLogger(),
      });
      repos = indexerRepositories(dataSource);
    });

    afterEach(() => dataSource.destroy());

    after(() => backend.cleanup());

    describe("CursorRepository", () => {
      it("has no cursor before the first set, then returns the last one set", async () => {
        expect(await repos.cursors.get("deals")).to.equal(undefined);
        await repos.cursors.set("deals", { block: 10, blockHash: hash(10) });
        await repos.cursors.set("deals", { block: 12, blockHash: `0x${hash(0xabc).slice(2).toUpperCase()}` });
        await repos.cursors.set("tasks", { block: 3, blockHash: hash(3) });
        const cursor = await repos.cursors.get("deals");
        expect(cursor).to.include({ name: "deals", lastBlock: 12, lastBlockHash: hash(0xabc) });
        expect(cursor!.updatedAt).to.be.instanceOf(Date);
        expect((await repos.cursors.get("tasks"))!.lastBlock).to.equal(3);
      });

      it("moves with the events of a transaction, or not at all", async () => {
        const crash = new Error("indexer crashed mid-block");
        const outcome = await dataSource
          .transaction(async (manager) => {
            const inTransaction = indexerRepositories(manager);
            await inTransaction.events.insertMany([event(5, 0)]);
            await inTransaction.cursors.set("deals", { block: 5, blockHash: hash(5) });
            throw crash;
          })
          .catch((error: unknown) => error);
        expect(outcome).to.equal(crash);
        expect(await repos.cursors.get("deals")).to.equal(undefined);
        expect(await repos.events.listByName("DealCreated")).to.deep.equal([]);

        await dataSource.transaction(async (manager) => {
          const inTransaction = indexerRepositories(manager);
          await inTransaction.events.insertMany([event(5, 0)]);
          await inTransaction.cursors.set("deals", { block: 5, blockHash: hash(5) });
        });
        expect((await repos.cursors.get("deals"))!.lastBlock).to.equal(5);
        expect(await repos.events.listByName("DealCreated")).to.have.length(1);
      });
    });

    describe("EventRepository", () => {
      it("keeps one copy of events inserted twice and counts only new ones", async () => {
        expect(await repos.events.insertMany([event(1, 0), event(1, 1), event(2, 0)])).to.equal(3);
        expect(await repos.events.insertMany([event(1, 0), event(1, 1), event(2, 0), event(3, 0)])).to.equal(1);
        expect(await repos.events.insertMany([])).to.equal(0);
        const stored = await repos.events.listByName("DealCreated");
        expect(stored.map((e) => [e.blockNumber, e.logIndex])).to.deep.equal([
          [1, 0],
          [1, 1],
          [2, 0],
          [3, 0],
        ]);
      });

      it("stores bigint arguments as decimal strings and addresses in lowercase", async () => {
        await repos.events.insertMany([event(7, 2)]);
        const [stored] = await repos.events.listByName("DealCreated");
        expect(stored).to.deep.include({
          blockNumber: 7,
          blockHash: hash(7),
          logIndex: 2,
          contract: CONTRACT.toLowerCase(),
          args: { dealId: hash(7), price: (2n ** 255n).toString(), tasks: ["1", "2"] },
        });
        expect(stored!.id).to.be.a("number");
      });

      it("inserts large batches in several statements", async () => {
        const batch = Array.from({ length: 2_100 }, (_, i) => event(Math.floor(i / 10), i % 10));
        expect(await repos.events.insertMany(batch)).to.equal(2_100);
        expect(await repos.events.insertMany(batch)).to.equal(0);
      });

      it("deletes the events of a block and every later block", async () => {
        await repos.events.insertMany([event(1, 0), event(2, 0), event(2, 1), event(3, 0)]);
        expect(await repos.events.deleteFromBlock(2)).to.equal(3);
        expect(await repos.events.deleteFromBlock(2)).to.equal(0);
        const left = await repos.events.listByName("DealCreated");
        expect(left.map((e) => e.blockNumber)).to.deep.equal([1]);
      });

      it("pages through one event name by id", async () => {
        const events = [1, 2, 3, 4, 5].flatMap((block) => [event(block, 0, "TaskCompleted"), event(block, 1)]);
        await repos.events.insertMany(events);
        const seen: number[] = [];
        let afterId = 0;
        for (;;) {
          const page = await repos.events.listByName("TaskCompleted", { afterId, limit: 2 });
          if (page.length === 0) break;
          expect(page.length).to.be.at.most(2);
          seen.push(...page.map((e) => e.blockNumber));
          afterId = page[page.length - 1]!.id;
        }
        expect(seen).to.deep.equal([1, 2, 3, 4, 5]);
        for (const limit of [0, 1_001, 2.5]) {
          expect((await rejectionOf(PersistenceError, repos.events.listByName("TaskCompleted", { limit }))).code).to.equal(
            "INVALID_PAGE",
          );
        }
      });
    });

    describe("BlockRepository", () => {
      const block = (number: number, seed = number) => ({ number, hash: hash(seed), parentHash: hash(number - 1) });

      it("records blocks idempotently and returns their hashes", async () => {
        await repos.blocks.record([block(1), block(2)]);
        await repos.blocks.record([block(2), block(3)]);
        expect(await repos.blocks.hashAt(2)).to.equal(hash(2));
        expect(await repos.blocks.hashAt(3)).to.equal(hash(3));
        expect(await repos.blocks.hashAt(4)).to.equal(undefined);
      });

      it("refuses a different hash at a recorded height until rewound", async () => {
        await repos.blocks.record([block(1), block(2)]);
        const error = await rejectionOf(PersistenceError, repos.blocks.record([block(2, 99)]));
        expect(error.code).to.equal("BLOCK_HASH_CONFLICT");
        expect(error.details).to.include({ number: 2, stored: hash(2), given: hash(99) });
        expect(await repos.blocks.deleteFrom(2)).to.equal(1);
        await repos.blocks.record([block(2, 99)]);
        expect(await repos.blocks.hashAt(2)).to.equal(hash(99));
      });
    });

    it("rewinds blocks, events and cursor to the fork point of a reorg", async () => {
      for (const number of [1, 2, 3, 4]) {
        await dataSource.transaction(async (manager) => {
          const inTransaction = indexerRepositories(manager);
          await inTransaction.events.insertMany([event(number, 0)]);
          await inTransaction.blocks.record([{ number, hash: hash(number), parentHash: hash(number - 1) }]);
          await inTransaction.cursors.set("deals", { block: number, blockHash: hash(number) });
        });
      }
      // A new block 3 arrives whose parent is our block 2: our blocks 3 and 4 were orphaned.
      const forkPoint = 3;
      const newBlock3 = { number: forkPoint, hash: hash(33), parentHash: hash(forkPoint - 1) };
      expect(await repos.blocks.hashAt(forkPoint)).not.to.equal(newBlock3.hash);
      expect(await repos.blocks.hashAt(forkPoint - 1)).to.equal(newBlock3.parentHash);
      await dataSource.transaction(async (manager) => {
        const inTransaction = indexerRepositories(manager);
        await inTransaction.events.deleteFromBlock(forkPoint);
        await inTransaction.blocks.deleteFrom(forkPoint);
        await inTransaction.cursors.set("deals", { block: forkPoint - 1, blockHash: hash(forkPoint - 1) });
      });
      expect((await repos.events.listByName("DealCreated")).map((e) => e.blockNumber)).to.deep.equal([1, 2]);
      expect(await repos.blocks.hashAt(4)).to.equal(undefined);
      await repos.blocks.record([newBlock3]);
      expect(await repos.blocks.hashAt(forkPoint)).to.equal(newBlock3.hash);
      expect((await repos.cursors.get("deals"))!.lastBlock).to.equal(2);
    });
  });
}
