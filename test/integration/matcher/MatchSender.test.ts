import { expect } from "chai";
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { MatchSender, matchKeyOf, type MatchOrdersInput } from "../../../src/matcher/index.ts";
import { appOrder, by, datasetOrder, requestOrder, workerpoolOrder } from "../../helpers/protocolFixture.ts";
import { connection, dealsCreated, fundedWallet, loadProtocol, signed, type Fixture } from "./matcherFixture.ts";
import { RpcProxy } from "../../helpers/rpcProxy.ts";

/** The four default orders of the fixture, signed; the request overrides apply. */
async function matchInput(f: Fixture, request: Parameters<typeof requestOrder>[1] = {}): Promise<MatchOrdersInput> {
  return {
    app: await signed(f, "app", await appOrder(f), f.appOwner),
    dataset: await signed(f, "dataset", await datasetOrder(f), f.datasetOwner),
    workerpool: await signed(f, "workerpool", await workerpoolOrder(f), f.poolOwner),
    request: await signed(f, "request", await requestOrder(f, request), f.requester),
  };
}

describe("MatchSender", () => {
  it("sends a match and reports the deal it created", async () => {
    const f = await loadProtocol();
    const wallet = await fundedWallet(f);
    const sender = new MatchSender({ wallet, continuum: f.deployment.continuum });
    const input = await matchInput(f, { volume: 2n });

    const outcome = await sender.send(input);

    expect(outcome.status).to.equal("matched");
    if (outcome.status !== "matched") return;
    expect(outcome.volume).to.equal(2n);
    const [deal] = await dealsCreated(f);
    expect(deal).to.deep.include({ dealId: outcome.dealId, app: input.app.hash, dataset: input.dataset!.hash, request: input.request.hash });
    const tx = await wallet.provider!.getTransaction(outcome.txHash);
    expect(tx!.from).to.equal(wallet.address);
  });

  it("sends one transaction at a time with consecutive nonces, and never the same match twice", async () => {
    const f = await loadProtocol();
    const wallet = await fundedWallet(f);
    const sender = new MatchSender({ wallet, continuum: f.deployment.continuum });
    const first = await matchInput(f);
    const second = { ...first, request: await signed(f, "request", await requestOrder(f), f.requester) };

    const outcomes = await Promise.all([sender.send(first), sender.send(first), sender.send(second)]);

    expect(outcomes.map((o) => o.status)).to.deep.equal(["matched", "duplicate", "matched"]);
    const nonces = await Promise.all(outcomes.filter((o) => o.status === "matched").map(async (o) => (await wallet.provider!.getTransaction(o.txHash))!.nonce));
    expect(nonces).to.deep.equal([0, 1]);
    expect(await sender.send(first)).to.deep.include({ status: "duplicate" });
    expect(await wallet.provider!.getTransactionCount(wallet.address)).to.equal(2);
  });

  it("keys a match by its orders and the request's consumed volume", async () => {
    const f = await loadProtocol();
    const input = await matchInput(f, { volume: 3n });
    const partlyFilled = { ...input, request: { ...input.request, remaining: 1n } };
    expect(matchKeyOf(input)).to.not.equal(matchKeyOf(partlyFilled));
    expect(matchKeyOf(input)).to.equal(matchKeyOf({ ...input, request: { ...input.request } }));
  });

  it("detects a refusal before sending and decodes the contract's error", async () => {
    const f = await loadProtocol();
    const wallet = await fundedWallet(f);
    const sender = new MatchSender({ wallet, continuum: f.deployment.continuum });
    // The stranger holds tokens but has deposited nothing in escrow.
    const poor = await matchInput(f);
    poor.request = await signed(f, "request", await requestOrder(f, { requester: f.stranger.address }), f.stranger);

    const outcome = await sender.send(poor);

    expect(outcome).to.deep.include({ status: "refused", code: "InsufficientBalance" });
    if (outcome.status !== "refused") return;
    expect(outcome.details).to.deep.equal({ account: f.stranger.address, balance: "0", needed: "18" });
    expect(outcome.txHash).to.equal(undefined);
    expect(await wallet.provider!.getTransactionCount(wallet.address)).to.equal(0);

    const consumed = await matchInput(f);
    expect((await sender.send(consumed)).status).to.equal("matched");
    const again = { ...consumed, request: await signed(f, "request", await requestOrder(f), f.requester) };
    await by(f.continuum, f.poolOwner).cancelWorkerpoolOrder(again.workerpool.order);
    expect(await sender.send(again)).to.deep.include({ status: "refused", code: "OrderWasCancelled" });
  });

  it("re-reads its nonce from the chain after a send fails", async () => {
    const f = await loadProtocol();
    const wallet = await fundedWallet(f);
    const sender = new MatchSender({ wallet, continuum: f.deployment.continuum });
    expect((await sender.send(await matchInput(f))).status).to.equal("matched");
    // Someone else uses the wallet: the sender's next nonce is now taken.
    await (await wallet.sendTransaction({ to: f.stranger.address, value: 1n, nonce: 1 })).wait();

    const stale = await sender.send(await matchInput(f));
    expect(stale).to.deep.include({ status: "failed", sent: false });

    const retried = await sender.send(await matchInput(f));
    expect(retried.status).to.equal("matched");
    expect(await wallet.provider!.getTransactionCount(wallet.address)).to.equal(3);
  });

  it("reports a node it cannot reach as a failure, and sends the same match once the node answers", async () => {
    const f = await loadProtocol();
    const proxy = new RpcProxy(connection.provider);
    await proxy.reservePort();
    // No request cache: ethers would otherwise replay the refused connection for 250 ms.
    const provider = new JsonRpcProvider(proxy.url, Network.from(BigInt(f.deployment.chainId)), {
      staticNetwork: true, pollingInterval: 20, cacheTimeout: -1,
    });
    try {
      const wallet = new Wallet((await fundedWallet(f)).privateKey, provider);
      const sender = new MatchSender({ wallet, continuum: f.deployment.continuum });
      const input = await matchInput(f);

      const down = await sender.send(input);
      expect(down).to.deep.include({ status: "failed", sent: false });
      if (down.status === "failed") expect(down.error.code).to.equal("RPC_ERROR");

      await proxy.listen();
      expect((await sender.send(input)).status).to.equal("matched");
    } finally {
      provider.destroy();
      await proxy.close();
    }
  });
});
