// Specifies the book_order repository on PGlite and on the PostgreSQL server: idempotent inserts,
// exact round trips of uint256 values, book order with cursor pages, every filter, and the status
// changes that take orders out of the book.
import { expect } from "chai";
import { Wallet } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../../src/core/logger.ts";
import { openDataSource } from "../../../../src/persistence/index.ts";
import { ZERO_ADDRESS, type AnySignedOrder, type OrderKind } from "../../../../src/wire/eip712/index.ts";
import {
  bookEntities,
  bookMigrations,
  cursorOf,
  OrderRepository,
  type BookCursor,
  type BookFilters,
  type BookOrder,
} from "../../../../src/market/book/index.ts";
import { databaseBackends, describeBackend } from "../../persistence/databaseBackends.ts";
import { GPU, TEE, TEE_GPU, TEST_REQUESTER, signedOrder } from "./bookTestOrders.ts";

const MAX_UINT = (1n << 256n) - 1n;
const OTHER_REQUESTER = Wallet.createRandom().address;

async function everyPage(repo: OrderRepository, kind: OrderKind, filters: BookFilters, limit: number): Promise<BookOrder[]> {
  const all: BookOrder[] = [];
  let cursor: BookCursor | null = null;
  for (;;) {
    const page = await repo.query(kind, filters, cursor, limit);
    all.push(...page);
    if (page.length < limit) return all;
    cursor = cursorOf(page[page.length - 1]);
  }
}

const hashes = (orders: readonly { hash: string }[]) => orders.map((order) => order.hash);
const open = (order: AnySignedOrder): BookOrder => ({ ...order, status: "open", removedReason: null }) as BookOrder;

for (const backend of await databaseBackends()) {
  describeBackend(backend, "OrderRepository", () => {
    let dataSource: DataSource;
    let repo: OrderRepository;

    // One schema per backend; each test starts from an empty table.
    before(async () => {
      const target = await backend.freshTarget();
      dataSource = await openDataSource({ ...target, entities: bookEntities, migrations: bookMigrations, logger: silentLogger() });
      repo = new OrderRepository(dataSource);
    });

    beforeEach(function () {
      // The filter suite shares one set of rows across its tests.
      if (this.currentTest?.parent?.title !== "filters") return dataSource.query("TRUNCATE book_order");
    });

    after(async () => {
      await dataSource.destroy();
      await backend.cleanup();
    });

    it("stores an order once, reports which were new, and returns it exactly", async () => {
      const order = await signedOrder("app", { price: MAX_UINT, volume: MAX_UINT, expiry: MAX_UINT }, { remaining: MAX_UINT - 1n });
      const other = await signedOrder("request", { params: '{"window":"24h","ünïcode":true}' });
      expect([...(await repo.insertMany([order, other]))].sort()).to.deep.equal([order.hash, other.hash].sort());
      expect([...(await repo.insertMany([order]))]).to.deep.equal([]);
      const twice = await signedOrder("dataset", {});
      expect([...(await repo.insertMany([twice, twice]))]).to.deep.equal([twice.hash]);
      expect(await repo.existing([order.hash, `0x${"ab".repeat(32)}`])).to.deep.equal(new Set([order.hash]));
      expect(await repo.get(order.hash)).to.deep.equal(open(order));
      expect(await repo.get(other.hash)).to.deep.equal(open(other));
      expect(await repo.get(`0x${"cd".repeat(32)}`)).to.equal(undefined);
    });

    it("lists offers cheapest first, then oldest first, and pages through them exactly once", async () => {
      const orders = await Promise.all(
        [7n, 3n, 3n, 9n, 1n, 3n, 5n].map((price, i) => signedOrder("app", { price }, { publishedAt: 1_000 + (i % 3) })),
      );
      await repo.insertMany(orders);
      const expected = [...orders].sort(
        (a, b) =>
          Number((a.order as { price: bigint }).price - (b.order as { price: bigint }).price) ||
          a.publishedAt - b.publishedAt ||
          (a.hash < b.hash ? -1 : 1),
      );
      expect(hashes(await repo.query("app", {}, null, 100))).to.deep.equal(hashes(expected));
      expect(hashes(await everyPage(repo, "app", {}, 2))).to.deep.equal(hashes(expected));
    });

    it("lists requests newest first, paged", async () => {
      const requests = await Promise.all([1, 2, 3, 4, 5].map((t) => signedOrder("request", {}, { publishedAt: 2_000 + t })));
      await repo.insertMany(requests);
      const newestFirst = hashes(requests).reverse();
      expect(hashes(await everyPage(repo, "request", {}, 2))).to.deep.equal(newestFirst);
    });

    it("keeps kinds apart", async () => {
      const app = await signedOrder("app");
      const dataset = await signedOrder("dataset");
      await repo.insertMany([app, dataset]);
      expect(hashes(await repo.query("app", {}, null, 10))).to.deep.equal([app.hash]);
      expect(hashes(await repo.query("dataset", {}, null, 10))).to.deep.equal([dataset.hash]);
      expect(await repo.countOpen()).to.deep.equal({ app: 1, dataset: 1, workerpool: 0, request: 0 });
    });

    describe("filters", () => {
      let pools: Record<string, AnySignedOrder>;
      let apps: Record<string, AnySignedOrder>;
      let requests: Record<string, AnySignedOrder>;
      let signer: Wallet;

      before(async () => {
        await dataSource.query("TRUNCATE book_order");
        signer = Wallet.createRandom() as unknown as Wallet;
        pools = {
          cheapTee: await signedOrder("workerpool", { workerpool: 1n, price: 2n, tag: TEE, category: 1n }),
          gpuOnly: await signedOrder("workerpool", { workerpool: 2n, price: 4n, tag: GPU, category: 1n, appRestrict: 9n }),
          teeGpu: await signedOrder("workerpool", { workerpool: 3n, price: 8n, tag: TEE_GPU, category: 2n, volume: 100n }, { wallet: signer }),
          privatePool: await signedOrder("workerpool", { workerpool: 4n, price: 6n, requesterRestrict: OTHER_REQUESTER }),
        };
        apps = {
          plain: await signedOrder("app", { app: 1n, price: 1n }),
          tee: await signedOrder("app", { app: 2n, price: 2n, tag: TEE, datasetRestrict: 5n }),
        };
        requests = {
          mine: await signedOrder("request", { requester: TEST_REQUESTER, category: 1n, app: 1n, dataset: 5n, datasetMaxPrice: 1n }, { publishedAt: 1 }),
          anyPool: await signedOrder("request", { requester: OTHER_REQUESTER, category: 2n, app: 2n, workerpool: 0n }, { publishedAt: 2 }),
          pool3: await signedOrder("request", { requester: OTHER_REQUESTER, category: 2n, app: 2n, workerpool: 3n }, { publishedAt: 3 }),
        };
        await repo.insertMany([...Object.values(pools), ...Object.values(apps), ...Object.values(requests)]);
      });

      const cases: [string, OrderKind, BookFilters, () => AnySignedOrder[]][] = [
        ["asset", "workerpool", { asset: 2n }, () => [pools.gpuOnly]],
        ["category", "workerpool", { category: 2n }, () => [pools.teeGpu]],
        ["tag: pools offering every bit", "workerpool", { tag: TEE }, () => [pools.cheapTee, pools.teeGpu]],
        ["tag: apps asking nothing beyond it", "app", { tag: GPU }, () => [apps.plain]],
        ["tag: apps within TEE", "app", { tag: TEE }, () => [apps.plain, apps.tee]],
        ["price range", "workerpool", { minPrice: 3n, maxPrice: 6n }, () => [pools.gpuOnly, pools.privatePool]],
        ["minimum remaining volume", "workerpool", { minVolume: 11n }, () => [pools.teeGpu]],
        ["app restriction (0 = any)", "workerpool", { app: 9n }, () => [pools.cheapTee, pools.gpuOnly, pools.privatePool, pools.teeGpu]],
        ["app restriction excludes others", "workerpool", { app: 1n }, () => [pools.cheapTee, pools.privatePool, pools.teeGpu]],
        ["dataset restriction", "app", { dataset: 6n }, () => [apps.plain]],
        ["requester restriction on offers", "workerpool", { requester: TEST_REQUESTER }, () => [pools.cheapTee, pools.gpuOnly, pools.teeGpu]],
        ["signer", "workerpool", { signer: "" }, () => [pools.teeGpu]],
        ["requester of requests", "request", { requester: OTHER_REQUESTER }, () => [requests.pool3, requests.anyPool]],
        ["a request's dataset", "request", { dataset: 5n }, () => [requests.mine]],
        ["a request's workerpool (0 = any)", "request", { workerpool: 3n }, () => [requests.pool3, requests.anyPool, requests.mine]],
        ["a request's price is its cost per task", "request", { minPrice: 16n }, () => [requests.mine]],
        ["filters combine", "workerpool", { tag: TEE, category: 1n, maxPrice: 5n }, () => [pools.cheapTee]],
      ];
      for (const [what, kind, filters, expected] of cases) {
        it(`filters ${kind} orders by ${what}`, async () => {
          const applied = "signer" in filters ? { ...filters, signer: signer.address } : filters;
          expect(hashes(await repo.query(kind, applied, null, 50))).to.deep.equal(hashes(expected()));
        });
      }

      it("treats a zero requester restriction as open to anyone", () => {
        expect((pools.cheapTee.order as { requesterRestrict: string }).requesterRestrict).to.equal(ZERO_ADDRESS);
      });
    });

    it("updates remaining volume only while open and only on change", async () => {
      const order = await signedOrder("dataset");
      await repo.insertMany([order]);
      expect(await repo.setRemaining(order.hash, 4n)).to.equal(true);
      expect(await repo.setRemaining(order.hash, 4n)).to.equal(false);
      expect((await repo.get(order.hash))!.remaining).to.equal(4n);
      expect(hashes(await repo.query("dataset", { minVolume: 5n }, null, 10))).to.deep.equal([]);
    });

    it("removes an order once, keeps it readable, and leaves it out of queries", async () => {
      const order = await signedOrder("app");
      await repo.insertMany([order]);
      expect(await repo.markRemoved(order.hash, "unpublished", 5_000)).to.equal(true);
      expect(await repo.markRemoved(order.hash, "cancelled", 6_000)).to.equal(false);
      expect(await repo.setRemaining(order.hash, 1n)).to.equal(false);
      const stored = await repo.get(order.hash);
      expect(stored!.status).to.equal("removed");
      expect(stored!.removedReason).to.equal("unpublished");
      expect(await repo.query("app", {}, null, 10)).to.deep.equal([]);
      expect(await repo.openAmong([order.hash])).to.deep.equal([]);
      expect(await repo.existing([order.hash])).to.deep.equal(new Set([order.hash]));
    });

    it("removes orders whose expiry has passed", async () => {
      const stale = await signedOrder("app", { expiry: 100n });
      const due = await signedOrder("app", { expiry: 200n });
      const live = await signedOrder("app", { expiry: 201n });
      await repo.insertMany([stale, due, live]);
      expect((await repo.removeExpired(200n, 1)).sort()).to.deep.equal([stale.hash, due.hash].sort());
      expect(hashes(await repo.query("app", {}, null, 10))).to.deep.equal([live.hash]);
      expect((await repo.get(stale.hash))!.removedReason).to.equal("expired");
    });
  });
}
