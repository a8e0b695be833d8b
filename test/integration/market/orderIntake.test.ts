// Specification of the intake and the book against the protocol on the in-process chain and the
// book on PGlite: batch ingest with one outcome per order, book events, refreshing orders after
// deals and cancellations, expiry, and an unreachable chain refusing nothing it could not check.
import { expect } from "chai";
import { JsonRpcProvider, Network } from "ethers";
import {
  appOrder,
  by,
  datasetOrder,
  loadProtocol,
  matchDeal,
  requestOrder,
  workerpoolOrder,
  type Fixture,
} from "../../helpers/protocolFixture.ts";
import { orderDigest, type AnySignedOrder } from "../../../src/wire/eip712/index.ts";
import { Secp256k1Pool } from "../../../src/crypto/threads/secp256k1Pool.ts";
import { ChainReadError } from "../../../src/chain/ChainReadError.ts";
import { MARKET_ERROR_STATUS } from "../../../src/market/http/marketErrors.ts";
import {
  ContractOrderState,
  OrderBook,
  OrderIntake,
  type OrderRemovedEvent,
  type OrderSubmission,
  type OrderUpdatedEvent,
} from "../../../src/market/book/index.ts";
import { latestTimestamp, marketFor, openMarketDatabase, signedBody, type Market, type MarketDatabase } from "./marketFixture.ts";

type Events = { added: AnySignedOrder[]; updated: OrderUpdatedEvent[]; removed: OrderRemovedEvent[] };

function record(book: OrderBook): Events {
  const events: Events = { added: [], updated: [], removed: [] };
  book.on("added", (order) => events.added.push(order));
  book.on("updated", (event) => events.updated.push(event));
  book.on("removed", (event) => events.removed.push(event));
  return events;
}

describe("order intake and book on the chain", function () {
  let database: MarketDatabase;
  let f: Fixture;
  let market: Market;
  let events: Events;

  before(async function () {
    database = await openMarketDatabase();
  });

  after(() => database.close());

  beforeEach(async function () {
    f = await loadProtocol();
    market = marketFor(f, database.dataSource);
    events = record(market.book);
  });

  it("ingests a mixed batch with one outcome per order, in order, storing only the valid ones", async function () {
    const app = await appOrder(f);
    const pool = await workerpoolOrder(f);
    const request = await requestOrder(f);
    const appBody = await signedBody(f, "app", app);
    const submissions: OrderSubmission[] = [
      { kind: "app", body: appBody },
      { kind: "dataset", body: { order: {}, signature: "0x" } },
      { kind: "dataset", body: await signedBody(f, "dataset", await datasetOrder(f), f.stranger) },
      { kind: "workerpool", body: await signedBody(f, "workerpool", pool) },
      { kind: "app", body: appBody },
      { kind: "request", body: await signedBody(f, "request", request) },
    ];

    const outcomes = await market.intake.ingest(submissions);

    expect(outcomes.map((outcome) => (outcome.ok ? "ok" : outcome.error.code))).to.deep.equal([
      "ok", "INVALID_ORDER", "NOT_ASSET_OWNER", "ok", "ORDER_EXISTS", "ok",
    ]);
    const accepted = [orderDigest("app", f.domain, app), orderDigest("workerpool", f.domain, pool), orderDigest("request", f.domain, request)];
    expect(events.added.map((order) => order.hash)).to.deep.equal(accepted);
    for (const hash of accepted) expect((await market.book.get(hash))!.status).to.equal("open");
  });

  it("keeps submission order across chunks", async function () {
    const intake = new OrderIntake({ book: market.book, chain: market.chain, domain: f.domain, chunkSize: 3 });
    const orders = await Promise.all(Array.from({ length: 8 }, () => appOrder(f)));
    const outcomes = await intake.ingest(await Promise.all(orders.map(async (order) => ({ kind: "app" as const, body: await signedBody(f, "app", order) }))));
    expect(outcomes.map((outcome) => outcome.ok && outcome.order.hash)).to.deep.equal(orders.map((order) => orderDigest("app", f.domain, order)));
  });

  it("gives the same outcomes with signers recovered on a worker thread, across chunks", async function () {
    const pool = new Secp256k1Pool({ threads: 1 });
    try {
      const intake = new OrderIntake({ book: market.book, chain: market.chain, domain: f.domain, chunkSize: 2, recovery: pool });
      const app = await appOrder(f);
      const appBody = await signedBody(f, "app", app);
      const signature = appBody.signature as string;
      const submissions: OrderSubmission[] = [
        { kind: "app", body: appBody },
        { kind: "app", body: { ...appBody, signature: `${signature.slice(0, 130)}01` } },
        { kind: "dataset", body: await signedBody(f, "dataset", await datasetOrder(f), f.stranger) },
        { kind: "app", body: { ...(await signedBody(f, "app", await appOrder(f))), signer: f.stranger.address } },
        { kind: "workerpool", body: await signedBody(f, "workerpool", await workerpoolOrder(f)) },
      ];
      const outcomes = await intake.ingest(submissions);
      expect(outcomes.map((outcome) => (outcome.ok ? "ok" : outcome.error.code))).to.deep.equal([
        "ok", "BAD_SIGNATURE", "NOT_ASSET_OWNER", "BAD_SIGNATURE", "ok",
      ]);
      expect(outcomes[0]!.ok && outcomes[0]!.order.hash).to.equal(orderDigest("app", f.domain, app));
    } finally {
      await pool.close();
    }
  });

  it("refreshes orders from the chain: deals lower remaining volume or consume orders, cancellations remove them", async function () {
    const orders = {
      app: await appOrder(f, { volume: 10n }),
      dataset: await datasetOrder(f, { volume: 10n }),
      workerpool: await workerpoolOrder(f, { volume: 10n }),
      request: await requestOrder(f, { volume: 3n }),
    };
    for (const kind of ["app", "dataset", "workerpool", "request"] as const) {
      await market.intake.publish(kind, await signedBody(f, kind, orders[kind] as never));
    }
    const hash = (kind: keyof typeof orders) => orderDigest(kind, f.domain, orders[kind] as never);
    await matchDeal(f, orders);

    const afterDeal = await market.book.refreshOrders([hash("app"), hash("request"), hash("workerpool"), `0x${"77".repeat(32)}`, "junk"]);

    expect(afterDeal.updated.sort()).to.deep.equal([hash("app"), hash("workerpool")].sort());
    expect(afterDeal.removed).to.deep.equal([hash("request")]);
    expect(afterDeal.failed).to.deep.equal([]);
    expect(events.updated).to.deep.include({ hash: hash("app"), remaining: 7n });
    expect(events.removed).to.deep.equal([{ hash: hash("request"), reason: "consumed" }]);
    expect((await market.book.get(hash("app")))!.remaining).to.equal(7n);
    expect((await market.book.get(hash("request")))!.removedReason).to.equal("consumed");

    await by(f.continuum, f.datasetOwner).cancelDatasetOrder(orders.dataset);
    const afterCancel = await market.book.refreshOrders([hash("dataset"), hash("app")]);
    expect(afterCancel).to.deep.equal({ updated: [], removed: [hash("dataset")], failed: [] });
    expect(events.removed.at(-1)).to.deep.equal({ hash: hash("dataset"), reason: "cancelled" });
  });

  it("removes orders once the chain's clock passes their expiry", async function () {
    const soon = await appOrder(f, { expiry: (await latestTimestamp(f)) + 60n });
    const later = await appOrder(f);
    await market.intake.publish("app", await signedBody(f, "app", soon));
    await market.intake.publish("app", await signedBody(f, "app", later));
    await f.connection.networkHelpers.time.increase(120);

    const fresh = new OrderBook({ db: database.dataSource, chain: new ContractOrderState({ provider: f.ethers.provider, deployment: f.deployment }) });
    const removed: OrderRemovedEvent[] = [];
    fresh.on("removed", (event) => removed.push(event));
    const hashes = await fresh.removeExpired();

    expect(hashes).to.include(orderDigest("app", f.domain, soon));
    expect(hashes).not.to.include(orderDigest("app", f.domain, later));
    expect(removed).to.deep.include({ hash: orderDigest("app", f.domain, soon), reason: "expired" });
  });

  it("streams every open order of a kind in book order for a warm start", async function () {
    for (const price of [9n, 1n, 5n]) await market.intake.publish("dataset", await signedBody(f, "dataset", await datasetOrder(f, { price })));
    const seen: bigint[] = [];
    for await (const batch of market.book.openOrders("dataset", 2)) seen.push(...batch.map((order) => (order.order as { price: bigint }).price));
    expect(seen).to.deep.equal([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(seen).to.include.members([1n, 5n, 9n]);
    const counts = await market.book.countOpen();
    expect(counts.dataset).to.equal(seen.length);
  });

  it("keeps going when an event subscriber throws", async function () {
    market.book.prependListener("added", () => {
      throw new Error("subscriber bug");
    });
    const order = await appOrder(f);
    const stored = await market.intake.publish("app", await signedBody(f, "app", order));
    expect(events.added.map((added) => added.hash)).to.deep.equal([stored.hash]);
  });

  it("fails with the chain's ChainReadError (503 CHAIN_UNAVAILABLE in the market's table), storing nothing, when the chain cannot be read", async function () {
    const provider = new JsonRpcProvider("http://127.0.0.1:9/", 31337, { staticNetwork: Network.from(31337) });
    try {
      const chain = new ContractOrderState({ provider, deployment: f.deployment });
      const intake = new OrderIntake({ book: market.book, chain, domain: f.domain });
      const order = await appOrder(f);
      const [outcome] = await intake.ingest([{ kind: "app", body: await signedBody(f, "app", order) }]);
      expect(outcome.ok).to.equal(false);
      expect(!outcome.ok && outcome.error).to.be.instanceOf(ChainReadError);
      expect(!outcome.ok && MARKET_ERROR_STATUS[outcome.error.code]).to.equal(503);
      expect(await market.book.get(orderDigest("app", f.domain, order))).to.equal(undefined);
    } finally {
      provider.destroy();
    }
  });
});
