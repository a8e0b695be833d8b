import { expect } from "chai";
import { Wallet, ZeroAddress } from "ethers";
import {
  FUNDS,
  MAX_RUN_TIME,
  NO_TAG,
  TEE_TAG,
  appOrder,
  datasetOrder,
  defaultOrders,
  emptyDatasetOrder,
  loadProtocol,
  matchArgs,
  matchDeal,
  requestDigest,
  requestOrder,
  signAll,
  workerpoolOrder,
  type Fixture,
  type OrderSet,
  by,
} from "../helpers/protocolFixture.ts";
import { ZERO_BYTES32, dealIdOf, orderDigest } from "../../src/wire/eip712/index.ts";

async function expectMatchReverts(f: Fixture, orders: OrderSet, error: string, args?: unknown[]) {
  const signatures = await signAll(f, orders);
  const assertion = expect(f.continuum.matchOrders(...matchArgs(orders, signatures))).to.be.revertedWithCustomError(
    f.continuum,
    error,
  );
  if (args) await assertion.withArgs(...args);
  else await assertion;
}

describe("Continuum.matchOrders", () => {
  it("creates a deal, locks payment and stake, consumes volumes and emits everything an auditor needs", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f, { request: await requestOrder(f, { volume: 4n }) });
    const { dealId, deal, receipt } = await matchDeal(f, orders);
    const block = await f.ethers.provider.getBlock(receipt!.blockNumber);

    expect(dealId).to.equal(dealIdOf(requestDigest(f, orders.request), 0n));
    expect(deal.volume).to.equal(4n);
    expect(deal.appOwner).to.equal(f.appOwner.address);
    expect(deal.datasetOwner).to.equal(f.datasetOwner.address);
    expect(deal.workerpoolOwner).to.equal(f.poolOwner.address);
    expect(deal.stakePerTask).to.equal(3n); // 30% of 10
    expect(deal.deadline).to.equal(BigInt(block!.timestamp) + MAX_RUN_TIME * (10n + 4n));
    expect(deal.resultPublicKey).to.equal(orders.request.resultPublicKey);
    expect(await f.continuum.isDeal(deal)).to.equal(true);
    expect(await f.continuum.isDeal({ ...deal, appPrice: deal.appPrice + 1n })).to.equal(false);

    expect(await f.continuum.lockedOf(f.requester.address)).to.equal((5n + 3n + 10n) * 4n);
    expect(await f.continuum.balanceOf(f.requester.address)).to.equal(FUNDS / 2n - 72n);
    expect(await f.continuum.lockedOf(f.poolOwner.address)).to.equal(12n);
    for (const [kind, order] of [
      ["app", orders.app],
      ["dataset", orders.dataset],
      ["workerpool", orders.workerpool],
      ["request", orders.request],
    ] as const) {
      expect(await f.continuum.consumed(orderDigest(kind, f.domain, order as never))).to.equal(4n);
    }
    const created = receipt!.logs.map((log) => f.continuum.interface.parseLog(log)).find((e) => e?.name === "DealCreated");
    expect(created!.args.appOrderHash).to.equal(orderDigest("app", f.domain, orders.app));
    expect(created!.args.datasetOrderHash).to.equal(orderDigest("dataset", f.domain, orders.dataset));
    expect(created!.args.workerpoolOrderHash).to.equal(orderDigest("workerpool", f.domain, orders.workerpool));
    expect(created!.args.params).to.equal(orders.request.params);
  });

  it("creates a deal of the smallest remaining volume", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f, {
      app: await appOrder(f, { volume: 7n }),
      dataset: await datasetOrder(f, { volume: 2n }),
      request: await requestOrder(f, { volume: 5n }),
    });
    const first = await matchDeal(f, orders);
    expect(first.deal.volume).to.equal(2n);
    await expectMatchReverts(f, orders, "OrderFullyConsumed");
    const second = await matchDeal(f, { ...orders, dataset: await datasetOrder(f, { volume: 10n }) });
    expect(second.deal.volume).to.equal(3n);
    expect(second.deal.requestOffset).to.equal(2n);
    expect(second.dealId).to.not.equal(first.dealId);
  });

  it("accepts a request without dataset", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f, {
      dataset: emptyDatasetOrder(),
      request: await requestOrder(f, { dataset: 0n, datasetMaxPrice: 0n }),
    });
    const { deal } = await matchDeal(f, orders);
    expect(deal.dataset).to.equal(0n);
    expect(deal.datasetOwner).to.equal(ZeroAddress);
    expect(await f.continuum.lockedOf(f.requester.address)).to.equal(15n);
  });

  it("marks a deal TEE when any order asks for TEE and refuses a pool that does not offer it", async () => {
    const f = await loadProtocol();
    const plainPool = await workerpoolOrder(f, { tag: NO_TAG });
    await expectMatchReverts(
      f,
      await defaultOrders(f, { workerpool: plainPool, request: await requestOrder(f, { tag: NO_TAG }) }),
      "TagNotSatisfied",
      [TEE_TAG, NO_TAG],
    );
    const { deal } = await matchDeal(
      f,
      await defaultOrders(f, { request: await requestOrder(f, { tag: NO_TAG }) }),
    );
    expect(deal.tag).to.equal(TEE_TAG);
  });

  describe("refuses incompatible orders", () => {
    it("app, dataset or workerpool other than requested (AssetMismatch)", async () => {
      const f = await loadProtocol();
      await f.apps.registerApp(f.appOwner.address, "other", "bafy2", `0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`);
      await f.pools.registerWorkerpool(f.poolOwner.address, "second pool");
      await expectMatchReverts(f, await defaultOrders(f, { request: await requestOrder(f, { app: 2n }) }), "AssetMismatch", [
        "app", 2n, 1n,
      ]);
      await expectMatchReverts(
        f,
        await defaultOrders(f, { request: await requestOrder(f, { dataset: 0n }) }),
        "AssetMismatch",
        ["dataset", 0n, 1n],
      );
      await expectMatchReverts(
        f,
        await defaultOrders(f, { request: await requestOrder(f, { workerpool: 2n }) }),
        "AssetMismatch",
        ["workerpool", 2n, 1n],
      );
    });

    it("a priced dataset order sent with a request without dataset (DatasetOrderNotEmpty)", async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f, {
        dataset: { ...emptyDatasetOrder(), price: 1n },
        request: await requestOrder(f, { dataset: 0n }),
      });
      await expectMatchReverts(f, orders, "DatasetOrderNotEmpty");
    });

    it("another category (CategoryMismatch) or an unknown one (UnknownCategory)", async () => {
      const f = await loadProtocol();
      await expectMatchReverts(
        f,
        await defaultOrders(f, { request: await requestOrder(f, { category: 2n }) }),
        "CategoryMismatch",
        [2n, 1n],
      );
      await expectMatchReverts(
        f,
        await defaultOrders(f, {
          workerpool: await workerpoolOrder(f, { category: 9n }),
          request: await requestOrder(f, { category: 9n }),
        }),
        "UnknownCategory",
        [9n],
      );
    });

    it("a price above the request's maximum (PriceTooHigh)", async () => {
      const f = await loadProtocol();
      await expectMatchReverts(f, await defaultOrders(f, { app: await appOrder(f, { price: 6n }) }), "PriceTooHigh", [
        "app", 6n, 5n,
      ]);
      await expectMatchReverts(
        f,
        await defaultOrders(f, { dataset: await datasetOrder(f, { price: 4n }) }),
        "PriceTooHigh",
        ["dataset", 4n, 3n],
      );
      await expectMatchReverts(
        f,
        await defaultOrders(f, { workerpool: await workerpoolOrder(f, { price: 11n }) }),
        "PriceTooHigh",
        ["workerpool", 11n, 10n],
      );
    });

    it("every restriction of every order (RestrictionViolated)", async () => {
      const f = await loadProtocol();
      const stranger = BigInt(f.stranger.address);
      const cases: [Partial<OrderSet>, string, bigint][] = [
        [{ app: await appOrder(f, { datasetRestrict: 7n }) }, "dataset", 7n],
        [{ app: await appOrder(f, { workerpoolRestrict: 7n }) }, "workerpool", 7n],
        [{ app: await appOrder(f, { requesterRestrict: f.stranger.address }) }, "requester", stranger],
        [{ dataset: await datasetOrder(f, { appRestrict: 7n }) }, "app", 7n],
        [{ dataset: await datasetOrder(f, { workerpoolRestrict: 7n }) }, "workerpool", 7n],
        [{ dataset: await datasetOrder(f, { requesterRestrict: f.stranger.address }) }, "requester", stranger],
        [{ workerpool: await workerpoolOrder(f, { appRestrict: 7n }) }, "app", 7n],
        [{ workerpool: await workerpoolOrder(f, { datasetRestrict: 7n }) }, "dataset", 7n],
        [{ workerpool: await workerpoolOrder(f, { requesterRestrict: f.stranger.address }) }, "requester", stranger],
      ];
      for (const [override, field, restriction] of cases) {
        const orders = await defaultOrders(f, override);
        const kind = Object.keys(override)[0] as keyof OrderSet;
        const digest = orderDigest(kind, f.domain, orders[kind] as never);
        const signatures = await signAll(f, orders);
        await expect(f.continuum.matchOrders(...matchArgs(orders, signatures)))
          .to.be.revertedWithCustomError(f.continuum, "RestrictionViolated")
          .withArgs(digest, field, restriction, (actual: bigint) => actual !== restriction);
      }
    });

    it("a workerpool whose reputation is below the request's trust (TrustNotMet)", async () => {
      const f = await loadProtocol();
      await expectMatchReverts(
        f,
        await defaultOrders(f, { request: await requestOrder(f, { trust: 5001n }) }),
        "TrustNotMet",
        [1n, 5000n, 5001n],
      );
      const { deal } = await matchDeal(f, await defaultOrders(f, { request: await requestOrder(f, { trust: 5000n }) }));
      expect(deal.volume).to.equal(1n);
    });

    it("a request without beneficiary (BadBeneficiary)", async () => {
      const f = await loadProtocol();
      await expectMatchReverts(
        f,
        await defaultOrders(f, { request: await requestOrder(f, { beneficiary: ZeroAddress }) }),
        "BadBeneficiary",
      );
    });

    it("a TEE request with a zero result key, whichever order asked for TEE (ZeroResultKey)", async () => {
      const f = await loadProtocol();
      const zeroKey = await requestOrder(f, { resultPublicKey: ZERO_BYTES32 });
      await expectMatchReverts(f, await defaultOrders(f, { request: zeroKey }), "ZeroResultKey", [requestDigest(f, zeroKey)]);
      // Only the app asks for TEE here: the deal is still TEE, so the key is still required.
      const plainRequest = await requestOrder(f, { tag: NO_TAG, resultPublicKey: ZERO_BYTES32 });
      const orders = await defaultOrders(f, { dataset: await datasetOrder(f, { tag: NO_TAG }), request: plainRequest });
      await expectMatchReverts(f, orders, "ZeroResultKey", [requestDigest(f, plainRequest)]);
    });

    it("but accepts a zero result key on a deal that is not TEE", async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f, {
        app: await appOrder(f, { tag: NO_TAG }),
        dataset: await datasetOrder(f, { tag: NO_TAG }),
        workerpool: await workerpoolOrder(f, { tag: NO_TAG }),
        request: await requestOrder(f, { tag: NO_TAG, resultPublicKey: ZERO_BYTES32 }),
      });
      const { deal } = await matchDeal(f, orders);
      expect(deal.resultPublicKey).to.equal(ZERO_BYTES32);
    });
  });

  describe("refuses unfunded parties", () => {
    it("a requester whose escrow cannot pay (InsufficientBalance)", async () => {
      const f = await loadProtocol();
      const poor = Wallet.createRandom(f.ethers.provider);
      await f.deployer.sendTransaction({ to: poor.address, value: 10n ** 18n });
      const orders = await defaultOrders(f, { request: await requestOrder(f, { requester: poor.address }) });
      const signatures = await signAll(f, orders, { request: poor });
      await expect(f.continuum.matchOrders(...matchArgs(orders, signatures)))
        .to.be.revertedWithCustomError(f.continuum, "InsufficientBalance")
        .withArgs(poor.address, 0n, 18n);
    });

    it("a workerpool owner whose escrow cannot cover the stake (InsufficientBalance)", async () => {
      const f = await loadProtocol();
      await by(f.continuum, f.poolOwner).withdraw(FUNDS / 2n);
      await expectMatchReverts(f, await defaultOrders(f), "InsufficientBalance", [f.poolOwner.address, 0n, 3n]);
    });
  });

  describe("refuses bad signatures", () => {
    for (const kind of ["app", "dataset", "workerpool", "request"] as const) {
      it(`a ${kind} order signed by someone else (InvalidSignature)`, async () => {
        const f = await loadProtocol();
        const orders = await defaultOrders(f);
        const signatures = await signAll(f, orders, { [kind]: f.stranger });
        const digest = orderDigest(kind, f.domain, orders[kind] as never);
        await expect(f.continuum.matchOrders(...matchArgs(orders, signatures)))
          .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
          .withArgs(digest, (signer: string) => signer !== f.stranger.address);
      });
    }

    it("an empty signature for an order nobody approved (InvalidSignature)", async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const signatures = { ...(await signAll(f, orders)), workerpool: "0x" };
      await expect(f.continuum.matchOrders(...matchArgs(orders, signatures))).to.be.revertedWithCustomError(
        f.continuum,
        "InvalidSignature",
      );
    });
  });
});
