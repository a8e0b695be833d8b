import { expect } from "chai";
import { once } from "node:events";
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { MatchingBook, type MatchedEvent, type RefusedEvent, type RoundFailedEvent } from "../../../src/matcher/index.ts";
import type { AnySignedOrder } from "../../../src/wire/eip712/index.ts";
import { NO_TAG, TEE_TAG, appOrder, by, datasetOrder, requestOrder, workerpoolOrder } from "../../helpers/protocolFixture.ts";
import { connection, dealsCreated, fundedWallet, loadProtocol, matcherOn, signed, type Fixture } from "./matcherFixture.ts";
import { RpcProxy } from "../../helpers/rpcProxy.ts";
import { NodeControl } from "../../../src/devnet/chain/nodeControl.ts";

function bookWith(orders: AnySignedOrder[]): MatchingBook {
  const book = new MatchingBook();
  for (const order of orders) book.add(order);
  return book;
}

/** The fixture's app and dataset orders, signed by their owners. */
async function offers(f: Fixture, app: Parameters<typeof appOrder>[1] = {}, dataset: Parameters<typeof datasetOrder>[1] = {}) {
  return {
    app: await signed(f, "app", await appOrder(f, app), f.appOwner),
    dataset: await signed(f, "dataset", await datasetOrder(f, dataset), f.datasetOwner),
  };
}

const pool = async (f: Fixture, overrides: Parameters<typeof workerpoolOrder>[1] = {}) =>
  signed(f, "workerpool", await workerpoolOrder(f, overrides), f.poolOwner);
const request = async (f: Fixture, overrides: Parameters<typeof requestOrder>[1] = {}) =>
  signed(f, "request", await requestOrder(f, overrides), f.requester);

async function pendingCount(address: string): Promise<number> {
  return Number(await connection.provider.request({ method: "eth_getTransactionCount", params: [address, "pending"] }));
}

describe("Matcher", () => {
  it("matches an open request with the cheapest offers and the deal lands on-chain", async () => {
    const f = await loadProtocol();
    const { app, dataset } = await offers(f);
    const dear = await pool(f, { price: 10n });
    const cheap = await pool(f, { price: 8n });
    const wanted = await request(f, { volume: 2n });
    const book = bookWith([app, dataset, dear, cheap, wanted]);
    const { matcher } = matcherOn(f, await fundedWallet(f), book);
    const matched: MatchedEvent[] = [];
    matcher.on("matched", (event) => matched.push(event));

    expect(await matcher.runOnce()).to.deep.equal({ matched: 1, refused: 0 });

    const deals = await dealsCreated(f);
    expect(deals).to.have.length(1);
    expect(deals[0]).to.deep.include({ app: app.hash, dataset: dataset.hash, workerpool: cheap.hash, request: wanted.hash, volume: 2n });
    expect(matched).to.have.length(1);
    expect(matched[0]!.dealId).to.equal(deals[0]!.dealId);
    expect(matched[0]!.hashes).to.deep.equal({ app: app.hash, dataset: dataset.hash, workerpool: cheap.hash, request: wanted.hash });
    expect(book.has(wanted.hash)).to.equal(false);
    expect(book.get(cheap.hash)!.remaining).to.equal(8n);
    expect(await f.continuum.consumed(wanted.hash)).to.equal(2n);
    expect(await matcher.runOnce()).to.deep.equal({ matched: 0, refused: 0 });
  });

  it("fills a request through several deals, one transaction at a time", async () => {
    const f = await loadProtocol();
    const { dataset } = await offers(f);
    const small = await signed(f, "app", await appOrder(f, { price: 4n, volume: 2n }), f.appOwner);
    const large = await signed(f, "app", await appOrder(f, { price: 5n, volume: 10n }), f.appOwner);
    const wanted = await request(f, { volume: 5n });
    const wallet = await fundedWallet(f);
    const book = bookWith([small, large, dataset, await pool(f), wanted]);
    const { matcher } = matcherOn(f, wallet, book);

    expect(await matcher.runOnce()).to.deep.equal({ matched: 2, refused: 0 });

    expect((await dealsCreated(f)).map((deal) => [deal.app, deal.volume])).to.deep.equal([[small.hash, 2n], [large.hash, 3n]]);
    expect(await wallet.provider!.getTransactionCount(wallet.address)).to.equal(2);
    expect(book.has(small.hash)).to.equal(false);
    expect(book.has(wanted.hash)).to.equal(false);
  });

  it("lets two matchers race for the same orders: one deal, and the loser re-reads and stops", async () => {
    const f = await loadProtocol();
    const { app, dataset } = await offers(f);
    const wanted = await request(f, { volume: 1n });
    const orders = [app, dataset, await pool(f), wanted];
    const contenders = [];
    for (const name of ["A", "B"]) {
      const wallet = await fundedWallet(f);
      const book = bookWith(orders);
      contenders.push({ name, wallet, book, ...matcherOn(f, wallet, book) });
    }
    const refused: RefusedEvent[] = [];
    for (const { matcher } of contenders) matcher.on("refused", (event) => refused.push(event));

    // Both find the orders open and send before a block is mined: the chain decides.
    const node = await NodeControl.of(f.ethers.provider);
    await node.setAutomine(false);
    let results;
    try {
      const rounds = Promise.all(contenders.map(({ matcher }) => matcher.runOnce()));
      while ((await pendingCount(contenders[0]!.wallet.address)) + (await pendingCount(contenders[1]!.wallet.address)) < 2) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await node.mine();
      results = await rounds;
    } finally {
      await node.setAutomine(true);
    }

    expect(results.map((result) => result.matched).sort()).to.deep.equal([0, 1]);
    expect(await dealsCreated(f)).to.have.length(1);
    expect(refused.map((event) => event.code)).to.deep.equal(["OrderFullyConsumed"]);
    const loser = contenders[results.findIndex((result) => result.refused === 1)]!;
    expect(loser.book.has(wanted.hash)).to.equal(false);
    expect(loser.book.get(app.hash)!.remaining).to.equal(9n);
    expect(await loser.matcher.runOnce()).to.deep.equal({ matched: 0, refused: 0 });
    expect(await loser.wallet.provider!.getTransactionCount(loser.wallet.address)).to.equal(1);
  });

  it("takes an order cancelled on-chain out of the book and matches with the next best", async () => {
    const f = await loadProtocol();
    const { app, dataset } = await offers(f);
    const cheap = await pool(f, { price: 6n });
    const fallback = await pool(f, { price: 9n });
    const book = bookWith([app, dataset, cheap, fallback, await request(f)]);
    const { matcher } = matcherOn(f, await fundedWallet(f), book);
    await by(f.continuum, f.poolOwner).cancelWorkerpoolOrder(cheap.order);
    const refused: RefusedEvent[] = [];
    matcher.on("refused", (event) => refused.push(event));

    expect(await matcher.runOnce()).to.deep.equal({ matched: 0, refused: 1 });
    expect(refused[0]).to.deep.include({ code: "OrderWasCancelled" });
    expect(refused[0]!.hashes.workerpool).to.equal(cheap.hash);
    expect(book.has(cheap.hash)).to.equal(false);

    expect(await matcher.runOnce()).to.deep.equal({ matched: 1, refused: 0 });
    expect((await dealsCreated(f))[0]!.workerpool).to.equal(fallback.hash);
  });

  it("keeps running through node errors and matches once the node answers again", async () => {
    const f = await loadProtocol();
    const proxy = new RpcProxy(connection.provider);
    await proxy.reservePort();
    // No request cache: each round asks the node afresh.
    const provider = new JsonRpcProvider(proxy.url, Network.from(BigInt(f.deployment.chainId)), {
      staticNetwork: true, pollingInterval: 20, cacheTimeout: -1,
    });
    const { app, dataset } = await offers(f);
    const wanted = await request(f);
    const wallet = new Wallet((await fundedWallet(f)).privateKey, provider);
    const { matcher } = matcherOn(f, wallet, bookWith([app, dataset, await pool(f), wanted]), { intervalMs: 20, maxBackoffMs: 80 });
    const failures: RoundFailedEvent[] = [];
    matcher.on("roundFailed", (event) => failures.push(event));
    try {
      matcher.start();
      while (failures.length < 3) await once(matcher, "roundFailed");
      expect(failures.map((failure) => failure.code)).to.deep.equal(["RPC_ERROR", "RPC_ERROR", "RPC_ERROR"]);
      expect(failures.map((failure) => failure.consecutiveFailures)).to.deep.equal([1, 2, 3]);

      await proxy.listen();
      const [matched] = (await once(matcher, "matched")) as [MatchedEvent];
      expect(matched.hashes.request).to.equal(wanted.hash);
      expect((await dealsCreated(f)).map((deal) => deal.dealId)).to.deep.equal([matched.dealId]);
    } finally {
      await matcher.stop();
      provider.destroy();
      await proxy.close();
    }
  });

  it("honours tags and every restriction on-chain", async () => {
    const f = await loadProtocol();
    await f.pools.registerWorkerpool(f.poolOwner.address, "hospital pool"); // workerpool 2
    const { app, dataset } = await offers(f, { tag: TEE_TAG }, { tag: NO_TAG, workerpoolRestrict: 2n });
    const plain = await pool(f, { workerpool: 2n, price: 1n, tag: NO_TAG });
    const otherRequester = await pool(f, { workerpool: 2n, price: 2n, requesterRestrict: f.stranger.address });
    const otherApp = await pool(f, { workerpool: 2n, price: 3n, appRestrict: 7n });
    const wrongPool = await pool(f, { workerpool: 1n, price: 4n });
    const right = await pool(f, { workerpool: 2n, price: 9n });
    const book = bookWith([app, dataset, plain, otherRequester, otherApp, wrongPool, right, await request(f, { tag: TEE_TAG })]);
    const { matcher } = matcherOn(f, await fundedWallet(f), book);

    expect(await matcher.runOnce()).to.deep.equal({ matched: 1, refused: 0 });
    const [deal] = await dealsCreated(f);
    expect(deal).to.deep.include({ workerpool: right.hash, workerpoolId: 2n });
  });

  it("matches a request asking for trust only with a workerpool whose on-chain score meets it", async () => {
    const f = await loadProtocol();
    const { app, dataset } = await offers(f);
    const demanding = await request(f, { trust: 5001n }); // a new pool scores 5000
    const content = await request(f, { trust: 5000n });
    const book = bookWith([app, dataset, await pool(f), demanding, content]);
    const { matcher } = matcherOn(f, await fundedWallet(f), book);

    expect(await matcher.runOnce()).to.deep.equal({ matched: 1, refused: 0 });
    expect((await dealsCreated(f)).map((deal) => deal.request)).to.deep.equal([content.hash]);
    expect(book.has(demanding.hash)).to.equal(true);
  });

  it("drops orders once the chain's clock passes their expiry", async () => {
    const f = await loadProtocol();
    const latest = BigInt((await f.ethers.provider.getBlock("latest"))!.timestamp);
    const soon = await signed(f, "app", await appOrder(f, { price: 1n, expiry: latest + 30n }), f.appOwner);
    const { app, dataset } = await offers(f, { price: 5n });
    const book = bookWith([soon, app, dataset, await pool(f), await request(f)]);
    const { matcher } = matcherOn(f, await fundedWallet(f), book);
    await f.connection.networkHelpers.time.increase(60);

    expect(await matcher.runOnce()).to.deep.equal({ matched: 1, refused: 0 });
    expect(book.has(soon.hash)).to.equal(false);
    expect((await dealsCreated(f))[0]).to.deep.include({ app: app.hash, appPrice: 5n });
  });
});
