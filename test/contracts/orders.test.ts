// Contract tests of the on-chain order book: EIP-712 digests shared with TypeScript, on-chain
// approval and cancellation, replay protection, volume accounting, expiry and signature checks.
import { expect } from "chai";
import {
  Signature,
  concat,
  hexlify,
  randomBytes,
  toBeHex,
  type Contract,
  type ContractTransactionResponse,
  type Signer,
  type TypedDataDomain,
} from "ethers";
import { deployProtocol } from "../../src/chain/deployProtocol.ts";
import {
  ORDER_KIND_NUMBER,
  continuumDomain,
  orderDigest,
  signOrder,
  toDeal,
  type OrderKind,
} from "../../src/wire/eip712/index.ts";
import {
  FUNDS,
  appOrder,
  datasetOrder,
  defaultOrders,
  loadProtocol,
  matchArgs,
  matchDeal,
  requestOrder,
  signAll,
  workerpoolOrder,
  type Fixture,
  type OrderSet,
  type Signatures, by } from "../helpers/protocolFixture.ts";

const KINDS: readonly OrderKind[] = ["app", "dataset", "workerpool", "request"];
const ASSET_KINDS = ["app", "dataset", "workerpool"] as const;
const CAPITALIZED: Record<OrderKind, string> = {
  app: "App",
  dataset: "Dataset",
  workerpool: "Workerpool",
  request: "Request",
};
const A: Record<OrderKind, string> = {
  app: "an app",
  dataset: "a dataset",
  workerpool: "a workerpool",
  request: "a request",
};
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const MAX_UINT256 = (1n << 256n) - 1n;

/** The account that must sign (or approve) an order of this kind in the fixture. */
function signerOf(f: Fixture, kind: OrderKind) {
  return { app: f.appOwner, dataset: f.datasetOwner, workerpool: f.poolOwner, request: f.requester }[kind];
}

function registryOf(f: Fixture, kind: (typeof ASSET_KINDS)[number]): Contract {
  return { app: f.apps, dataset: f.datasets, workerpool: f.pools }[kind];
}

function digestOf(f: Fixture, kind: OrderKind, orders: OrderSet, domain: TypedDataDomain = f.domain): string {
  return orderDigest(kind, domain, orders[kind]);
}

function callOrderBook(f: Fixture, action: "approve" | "cancel", kind: OrderKind, orders: OrderSet, caller: Signer) {
  return by(f.continuum, caller).getFunction(`${action}${CAPITALIZED[kind]}Order`)(orders[kind]);
}

async function signedExcept(f: Fixture, orders: OrderSet, overrides: Partial<Signatures>): Promise<Signatures> {
  return { ...(await signAll(f, orders)), ...overrides };
}

function match(f: Fixture, orders: OrderSet, signatures: Signatures) {
  return by(f.continuum, f.stranger).matchOrders(...matchArgs(orders, signatures));
}

/** Waits for a matchOrders transaction and returns the deal decoded from `DealCreated`. */
async function dealCreatedBy(f: Fixture, sent: Promise<ContractTransactionResponse>) {
  const receipt = await (await sent).wait();
  for (const log of receipt!.logs) {
    const parsed = f.continuum.interface.parseLog(log);
    if (parsed?.name === "DealCreated") return { dealId: parsed.args.dealId as string, deal: toDeal(parsed.args.deal) };
  }
  throw new Error("no DealCreated event");
}

/** The same signature with s replaced by n - s and v flipped: valid for ecrecover, non-canonical. */
function malleate(signature: string): string {
  const sig = Signature.from(signature);
  const highS = SECP256K1_N - BigInt(sig.s);
  return concat([sig.r, toBeHex(highS, 32), sig.v === 27 ? "0x1c" : "0x1b"]);
}

describe("OrderBook digests", () => {
  it("the contract's digests of the fixture's orders equal the TypeScript orderDigest for every kind", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f);
    expect(await f.continuum.appOrderDigest(orders.app)).to.equal(digestOf(f, "app", orders));
    expect(await f.continuum.datasetOrderDigest(orders.dataset)).to.equal(digestOf(f, "dataset", orders));
    expect(await f.continuum.workerpoolOrderDigest(orders.workerpool)).to.equal(digestOf(f, "workerpool", orders));
    expect(await f.continuum.requestOrderDigest(orders.request)).to.equal(digestOf(f, "request", orders));
  });

  it("the digests agree with every field set to a distinct non-zero value", async () => {
    const f = await loadProtocol();
    const salt = () => hexlify(randomBytes(32));
    const orders: OrderSet = {
      app: {
        app: 11n, price: 12n, volume: 13n, tag: salt(), datasetRestrict: 14n, workerpoolRestrict: 15n,
        requesterRestrict: f.stranger.address, assetEpoch: 17n, salt: salt(), expiry: 16n,
      },
      dataset: {
        dataset: 21n, price: 22n, volume: 23n, tag: salt(), appRestrict: 24n, workerpoolRestrict: 25n,
        requesterRestrict: f.worker.address, assetEpoch: 27n, salt: salt(), expiry: 26n,
      },
      workerpool: {
        workerpool: 31n, price: 32n, volume: 33n, tag: salt(), category: 34n, appRestrict: 35n, datasetRestrict: 36n,
        requesterRestrict: f.beneficiary.address, assetEpoch: 38n, salt: salt(), expiry: 37n,
      },
      request: {
        app: 41n, appMaxPrice: 42n, dataset: 43n, datasetMaxPrice: 44n, workerpool: 45n, workerpoolMaxPrice: 46n,
        requester: f.requester.address, volume: 47n, tag: salt(), category: 48n, trust: 49n,
        beneficiary: f.beneficiary.address, resultPublicKey: salt(),
        params: `{"query":"SELECT avg(hr) FROM vitals WHERE ward = 'été ✓'","window":"${"x".repeat(80)}"}`,
        salt: salt(), expiry: 50n,
      },
    };
    expect(await f.continuum.appOrderDigest(orders.app)).to.equal(digestOf(f, "app", orders));
    expect(await f.continuum.datasetOrderDigest(orders.dataset)).to.equal(digestOf(f, "dataset", orders));
    expect(await f.continuum.workerpoolOrderDigest(orders.workerpool)).to.equal(digestOf(f, "workerpool", orders));
    expect(await f.continuum.requestOrderDigest(orders.request)).to.equal(digestOf(f, "request", orders));
    const emptyParams = { ...orders.request, params: "" };
    expect(await f.continuum.requestOrderDigest(emptyParams)).to.equal(orderDigest("request", f.domain, emptyParams));
  });

  it("the digests are bound to the chain id and the contract address", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f);
    const chainId = BigInt(f.deployment.chainId);
    const onChain = await f.continuum.requestOrderDigest(orders.request);
    expect(onChain).to.not.equal(digestOf(f, "request", orders, continuumDomain(chainId + 1n, f.deployment.continuum)));
    expect(onChain).to.not.equal(digestOf(f, "request", orders, continuumDomain(chainId, f.deployment.token)));
  });
});

for (const kind of KINDS) {
  const name = CAPITALIZED[kind];
  describe(`OrderBook.approve${name}Order / cancel${name}Order`, () => {
    it(`approve${name}Order refuses a caller who is not the order's signer with NotOrderSigner`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      await expect(callOrderBook(f, "approve", kind, orders, f.stranger))
        .to.be.revertedWithCustomError(f.continuum, "NotOrderSigner")
        .withArgs(digestOf(f, kind, orders), signerOf(f, kind).address, f.stranger.address);
    });

    it(`cancel${name}Order refuses a caller who is not the order's signer with NotOrderSigner`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      await expect(callOrderBook(f, "cancel", kind, orders, f.stranger))
        .to.be.revertedWithCustomError(f.continuum, "NotOrderSigner")
        .withArgs(digestOf(f, kind, orders), signerOf(f, kind).address, f.stranger.address);
      expect(await f.continuum.consumed(digestOf(f, kind, orders))).to.equal(0n);
    });

    it(`approve${name}Order by the signer records the approval and emits OrderApproved(${ORDER_KIND_NUMBER[kind]}, digest, signer)`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const digest = digestOf(f, kind, orders);
      const signer = signerOf(f, kind);
      await expect(callOrderBook(f, "approve", kind, orders, signer))
        .to.emit(f.continuum, "OrderApproved")
        .withArgs(ORDER_KIND_NUMBER[kind], digest, signer.address);
      expect(await f.continuum.approvedBy(digest)).to.equal(signer.address);
    });

    it(`cancel${name}Order by the signer emits OrderCancelled(${ORDER_KIND_NUMBER[kind]}, digest, signer) and leaves no volume`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const digest = digestOf(f, kind, orders);
      const signer = signerOf(f, kind);
      expect(await f.continuum.remainingVolume(digest, orders[kind].volume)).to.equal(orders[kind].volume);
      await expect(callOrderBook(f, "cancel", kind, orders, signer))
        .to.emit(f.continuum, "OrderCancelled")
        .withArgs(ORDER_KIND_NUMBER[kind], digest, signer.address);
      expect(await f.continuum.remainingVolume(digest, orders[kind].volume)).to.equal(0n);
    });

    it(`${A[kind]} order approved on-chain matches with an empty signature`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      await callOrderBook(f, "approve", kind, orders, signerOf(f, kind));
      await expect(match(f, orders, await signedExcept(f, orders, { [kind]: "0x" }))).to.emit(f.continuum, "DealCreated");
      expect(await f.continuum.consumed(digestOf(f, kind, orders))).to.equal(1n);
    });

    it(`${A[kind]} order neither signed nor approved is refused with InvalidSignature`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      await expect(match(f, orders, await signedExcept(f, orders, { [kind]: "0x" })))
        .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
        .withArgs(digestOf(f, kind, orders), signerOf(f, kind).address);
    });

    it(`a cancelled ${kind} order is refused with OrderWasCancelled`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      await callOrderBook(f, "cancel", kind, orders, signerOf(f, kind));
      await expect(match(f, orders, await signAll(f, orders)))
        .to.be.revertedWithCustomError(f.continuum, "OrderWasCancelled")
        .withArgs(digestOf(f, kind, orders));
    });

    it(`a cancelled ${kind} order stays refused even if it was approved on-chain`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      await callOrderBook(f, "approve", kind, orders, signerOf(f, kind));
      await callOrderBook(f, "cancel", kind, orders, signerOf(f, kind));
      await expect(match(f, orders, await signedExcept(f, orders, { [kind]: "0x" })))
        .to.be.revertedWithCustomError(f.continuum, "OrderWasCancelled")
        .withArgs(digestOf(f, kind, orders));
    });

    it(`a partly consumed ${kind} order can be cancelled, and then no deal can use the rest`, async () => {
      const f = await loadProtocol();
      const base = await defaultOrders(f);
      const orders = { ...base, [kind]: { ...base[kind], volume: 5n } } as OrderSet;
      // Another order of volume 2 limits the first deal, so the cancelled order keeps 3 unused.
      if (kind === "request") orders.workerpool = await workerpoolOrder(f, { volume: 2n });
      else orders.request = await requestOrder(f, { volume: 2n });
      const { deal } = await matchDeal(f, orders);
      expect(deal.volume).to.equal(2n);
      const digest = digestOf(f, kind, orders);
      expect(await f.continuum.remainingVolume(digest, 5n)).to.equal(3n);

      await callOrderBook(f, "cancel", kind, orders, signerOf(f, kind));
      expect(await f.continuum.remainingVolume(digest, 5n)).to.equal(0n);
      if (kind === "request") orders.workerpool = await workerpoolOrder(f);
      else orders.request = await requestOrder(f, { volume: 2n });
      await expect(match(f, orders, await signAll(f, orders)))
        .to.be.revertedWithCustomError(f.continuum, "OrderWasCancelled")
        .withArgs(digest);
    });

    it(`${A[kind]} order signed for another chain id is refused with InvalidSignature`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const otherChain = continuumDomain(BigInt(f.deployment.chainId) + 1n, f.deployment.continuum);
      const replayed = await signOrder(kind, signerOf(f, kind), otherChain, orders[kind]);
      await expect(match(f, orders, await signedExcept(f, orders, { [kind]: replayed })))
        .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
        .withArgs(digestOf(f, kind, orders), signerOf(f, kind).address);
    });

    it(`${A[kind]} order signed for another verifying contract is refused with InvalidSignature`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const otherContract = continuumDomain(BigInt(f.deployment.chainId), f.deployment.appRegistry);
      const replayed = await signOrder(kind, signerOf(f, kind), otherContract, orders[kind]);
      await expect(match(f, orders, await signedExcept(f, orders, { [kind]: replayed })))
        .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
        .withArgs(digestOf(f, kind, orders), signerOf(f, kind).address);
    });

    it(`${A[kind]} order signed by the wrong key is refused with InvalidSignature`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const forged = await signOrder(kind, f.stranger, f.domain, orders[kind]);
      await expect(match(f, orders, await signedExcept(f, orders, { [kind]: forged })))
        .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
        .withArgs(digestOf(f, kind, orders), signerOf(f, kind).address);
    });

    it(`${A[kind]} order with a malformed signature (10 random bytes) is refused with InvalidSignature`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      await expect(match(f, orders, await signedExcept(f, orders, { [kind]: hexlify(randomBytes(10)) })))
        .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
        .withArgs(digestOf(f, kind, orders), signerOf(f, kind).address);
    });

    it(`an expired ${kind} order is refused with OrderExpired(digest, expiry)`, async () => {
      const f = await loadProtocol();
      const now = BigInt(await f.connection.networkHelpers.time.latest());
      const expiry = now + 60n;
      const base = await defaultOrders(f);
      const orders: OrderSet = { ...base, [kind]: { ...base[kind], expiry } };
      const signatures = await signAll(f, orders);
      await f.connection.networkHelpers.time.increase(3600);
      await expect(match(f, orders, signatures))
        .to.be.revertedWithCustomError(f.continuum, "OrderExpired")
        .withArgs(digestOf(f, kind, orders), expiry);
    });
  });
}

describe("OrderBook: approvals, cancellations and unknown assets", () => {
  for (const kind of ASSET_KINDS) {
    it(`approving or cancelling ${A[kind]} order for an unknown ${kind} reverts with ERC721NonexistentToken`, async () => {
      const f = await loadProtocol();
      const base = await defaultOrders(f);
      const orders: OrderSet = { ...base, [kind]: { ...base[kind], [kind]: 99n } };
      for (const action of ["approve", "cancel"] as const) {
        await expect(callOrderBook(f, action, kind, orders, signerOf(f, kind)))
          .to.be.revertedWithCustomError(registryOf(f, kind), "ERC721NonexistentToken")
          .withArgs(99n);
      }
    });

    it(`${A[kind]} order approved on-chain dies once the ${kind} is transferred (StaleOrder); the new owner's order matches`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const owner = signerOf(f, kind);
      await callOrderBook(f, "approve", kind, orders, owner);
      await by(registryOf(f, kind), owner).transferFrom(owner.address, f.stranger.address, 1n);
      const signatures = await signedExcept(f, orders, { [kind]: "0x" });
      await expect(match(f, orders, signatures))
        .to.be.revertedWithCustomError(f.continuum, "StaleOrder")
        .withArgs(digestOf(f, kind, orders), 0n, 1n);

      // The new owner signs for the asset's new epoch, and that order does match.
      const renewed: OrderSet = { ...orders, [kind]: { ...orders[kind], assetEpoch: 1n } };
      await by(f.continuum, f.stranger).deposit(FUNDS / 4n);
      const { deal } = await dealCreatedBy(f, match(f, renewed, await signAll(f, renewed, { [kind]: f.stranger })));
      const field = { app: "appOwner", dataset: "datasetOwner", workerpool: "workerpoolOwner" } as const;
      expect(deal[field[kind]]).to.equal(f.stranger.address);
    });

    it(`${A[kind]} order signed by the previous owner is refused after the ${kind} is transferred (StaleOrder)`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const owner = signerOf(f, kind);
      const signatures = await signAll(f, orders);
      await by(registryOf(f, kind), owner).transferFrom(owner.address, f.stranger.address, 1n);
      await expect(match(f, orders, signatures))
        .to.be.revertedWithCustomError(f.continuum, "StaleOrder")
        .withArgs(digestOf(f, kind, orders), 0n, 1n);
    });

    it(`${A[kind]} order signed before a transfer stays dead when the ${kind} comes back to its signer (StaleOrder)`, async () => {
      const f = await loadProtocol();
      const orders = await defaultOrders(f);
      const owner = signerOf(f, kind);
      const signatures = await signAll(f, orders);
      await by(registryOf(f, kind), owner).transferFrom(owner.address, f.stranger.address, 1n);
      await by(registryOf(f, kind), f.stranger).transferFrom(f.stranger.address, owner.address, 1n);
      await expect(match(f, orders, signatures))
        .to.be.revertedWithCustomError(f.continuum, "StaleOrder")
        .withArgs(digestOf(f, kind, orders), 0n, 2n);
    });

    it(`revokeOrders kills every ${kind} order signed so far, signed or approved (StaleOrder)`, async () => {
      const f = await loadProtocol();
      const signed = await defaultOrders(f);
      const approved = await defaultOrders(f);
      const owner = signerOf(f, kind);
      await callOrderBook(f, "approve", kind, approved, owner);
      await by(registryOf(f, kind), owner).revokeOrders(1n);
      await expect(match(f, signed, await signAll(f, signed)))
        .to.be.revertedWithCustomError(f.continuum, "StaleOrder")
        .withArgs(digestOf(f, kind, signed), 0n, 1n);
      await expect(match(f, approved, await signedExcept(f, approved, { [kind]: "0x" })))
        .to.be.revertedWithCustomError(f.continuum, "StaleOrder")
        .withArgs(digestOf(f, kind, approved), 0n, 1n);
    });
  }

  it("every order approved on-chain: the deal matches with four empty signatures", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f);
    for (const kind of KINDS) await callOrderBook(f, "approve", kind, orders, signerOf(f, kind));
    const { dealId, deal } = await dealCreatedBy(
      f,
      match(f, orders, { app: "0x", dataset: "0x", workerpool: "0x", request: "0x" }),
    );
    expect(dealId).to.match(/^0x[0-9a-f]{64}$/);
    expect(deal.requester).to.equal(f.requester.address);
    for (const kind of KINDS) expect(await f.continuum.consumed(digestOf(f, kind, orders))).to.equal(1n);
  });

  it("a request whose requester is the zero address cannot match with an empty signature", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f, {
      request: await requestOrder(f, { requester: "0x0000000000000000000000000000000000000000" }),
    });
    await expect(match(f, orders, await signedExcept(f, orders, { request: "0x" })))
      .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
      .withArgs(digestOf(f, "request", orders), "0x0000000000000000000000000000000000000000");
  });
});

describe("OrderBook replay protection", () => {
  it("orders matched on one protocol contract are refused by a second protocol on the same chain", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f);
    const signaturesForA = await signAll(f, orders);
    await expect(match(f, orders, signaturesForA)).to.emit(f.continuum, "DealCreated");

    // A second, independent deployment with the same owners, asset ids and category.
    const other = await deployProtocol(f.deployer);
    const b = (await f.ethers.getContractAt("Continuum", other.continuum)) as Contract;
    const tokenB = (await f.ethers.getContractAt("DevnetToken", other.token)) as Contract;
    const appsB = (await f.ethers.getContractAt("AppRegistry", other.appRegistry)) as Contract;
    const datasetsB = (await f.ethers.getContractAt("DatasetRegistry", other.datasetRegistry)) as Contract;
    const poolsB = (await f.ethers.getContractAt("WorkerpoolRegistry", other.workerpoolRegistry)) as Contract;
    await b.createCategory("S", "", 100n);
    await appsB.registerApp(f.appOwner.address, "a", "bafya", hexlify(randomBytes(32)), hexlify(randomBytes(32)));
    await datasetsB.registerDataset(f.datasetOwner.address, "d", "bafyd", hexlify(randomBytes(32)));
    await poolsB.registerWorkerpool(f.poolOwner.address, "p");
    for (const account of [f.requester, f.poolOwner]) {
      await tokenB.mint(account.address, 1000n);
      await by(tokenB, account).approve(other.continuum, 1000n);
      await by(b, account).deposit(1000n);
    }
    const domainB = continuumDomain(BigInt(other.chainId), other.continuum);
    const signaturesForB: Signatures = {
      app: await signOrder("app", f.appOwner, domainB, orders.app),
      dataset: await signOrder("dataset", f.datasetOwner, domainB, orders.dataset),
      workerpool: await signOrder("workerpool", f.poolOwner, domainB, orders.workerpool),
      request: await signOrder("request", f.requester, domainB, orders.request),
    };

    for (const kind of KINDS) {
      const replayed = { ...signaturesForB, [kind]: signaturesForA[kind] };
      await expect(by(b, f.stranger).matchOrders(...matchArgs(orders, replayed)))
        .to.be.revertedWithCustomError(b, "InvalidSignature")
        .withArgs(orderDigest(kind, domainB, orders[kind]), signerOf(f, kind).address);
    }
    // The same orders, signed for the second contract, do match there.
    await expect(by(b, f.stranger).matchOrders(...matchArgs(orders, signaturesForB))).to.emit(b, "DealCreated");
  });

  it("a non-canonical (high-s) copy of a valid signature is refused with InvalidSignature", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f);
    const signatures = await signAll(f, orders);
    await expect(match(f, orders, { ...signatures, request: malleate(signatures.request) }))
      .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
      .withArgs(digestOf(f, "request", orders), f.requester.address);
  });

  it("a 65-byte signature with an invalid v is refused with InvalidSignature", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f);
    const signatures = await signAll(f, orders);
    const badV = concat([signatures.app.slice(0, 130), "0x05"]);
    await expect(match(f, orders, { ...signatures, app: badV }))
      .to.be.revertedWithCustomError(f.continuum, "InvalidSignature")
      .withArgs(digestOf(f, "app", orders), f.appOwner.address);
  });
});

describe("OrderBook volume accounting", () => {
  it("a consumed order is refused with OrderFullyConsumed: a request of volume 1 matched twice", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f, { request: await requestOrder(f, { volume: 1n }) });
    const signatures = await signAll(f, orders);
    await expect(match(f, orders, signatures)).to.emit(f.continuum, "DealCreated");
    const digest = digestOf(f, "request", orders);
    expect(await f.continuum.consumed(digest)).to.equal(1n);
    expect(await f.continuum.remainingVolume(digest, 1n)).to.equal(0n);
    const lockedBefore = await f.continuum.lockedOf(f.requester.address);
    await expect(match(f, orders, signatures))
      .to.be.revertedWithCustomError(f.continuum, "OrderFullyConsumed")
      .withArgs(digest);
    expect(await f.continuum.lockedOf(f.requester.address)).to.equal(lockedBefore);
  });

  it("cannot overfill: a workerpool order of volume 3 gives deals of volume 2 then 1, then OrderFullyConsumed", async () => {
    const f = await loadProtocol();
    const pool = await workerpoolOrder(f, { volume: 3n });
    const app = await appOrder(f);
    const dataset = await datasetOrder(f);
    const poolDigest = orderDigest("workerpool", f.domain, pool);

    const first = await defaultOrders(f, { app, dataset, workerpool: pool, request: await requestOrder(f, { volume: 2n }) });
    const deal1 = await matchDeal(f, first);
    expect(deal1.deal.volume).to.equal(2n);
    expect(await f.continuum.consumed(poolDigest)).to.equal(2n);
    expect(await f.continuum.remainingVolume(poolDigest, 3n)).to.equal(1n);

    const second = await defaultOrders(f, { app, dataset, workerpool: pool, request: await requestOrder(f, { volume: 2n }) });
    const deal2 = await matchDeal(f, second);
    expect(deal2.deal.volume).to.equal(1n);
    expect(await f.continuum.consumed(poolDigest)).to.equal(3n);
    expect(await f.continuum.remainingVolume(poolDigest, 3n)).to.equal(0n);
    const secondRequestDigest = digestOf(f, "request", second);
    expect(await f.continuum.remainingVolume(secondRequestDigest, 2n)).to.equal(1n);

    const third = await defaultOrders(f, { app, dataset, workerpool: pool, request: await requestOrder(f, { volume: 2n }) });
    await expect(match(f, third, await signAll(f, third)))
      .to.be.revertedWithCustomError(f.continuum, "OrderFullyConsumed")
      .withArgs(poolDigest);
    // Even the request that still has volume left cannot squeeze more out of the spent pool order.
    await expect(match(f, second, await signAll(f, second)))
      .to.be.revertedWithCustomError(f.continuum, "OrderFullyConsumed")
      .withArgs(poolDigest);
    expect(await f.continuum.consumed(poolDigest)).to.equal(3n);
    expect(await f.continuum.consumed(digestOf(f, "app", first))).to.equal(3n);
    expect(await f.continuum.consumed(digestOf(f, "dataset", first))).to.equal(3n);
    expect(await f.continuum.lockedOf(f.requester.address)).to.equal(
      (app.price + dataset.price + pool.price) * 3n,
    );

    // The rest of the second request is served by another workerpool order, as a distinct deal.
    const rest = { ...second, workerpool: await workerpoolOrder(f, { volume: 5n }) };
    const deal3 = await matchDeal(f, rest);
    expect(deal3.deal.volume).to.equal(1n);
    expect(deal3.deal.requestOffset).to.equal(1n);
    expect(deal3.dealId).to.not.equal(deal2.dealId);
    expect(await f.continuum.consumed(secondRequestDigest)).to.equal(2n);
    await expect(match(f, rest, await signAll(f, rest)))
      .to.be.revertedWithCustomError(f.continuum, "OrderFullyConsumed")
      .withArgs(secondRequestDigest);
  });

  it("remainingVolume is the volume minus what deals used, and zero once cancelled or used up", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f, { request: await requestOrder(f, { volume: 4n }) });
    const appDigest = digestOf(f, "app", orders);
    expect(await f.continuum.remainingVolume(appDigest, 10n)).to.equal(10n);
    expect(await f.continuum.remainingVolume(appDigest, 0n)).to.equal(0n);
    await matchDeal(f, orders);
    expect(await f.continuum.consumed(appDigest)).to.equal(4n);
    expect(await f.continuum.remainingVolume(appDigest, 10n)).to.equal(6n);
    expect(await f.continuum.remainingVolume(appDigest, 4n)).to.equal(0n);
    expect(await f.continuum.remainingVolume(appDigest, 3n)).to.equal(0n);
    await by(f.continuum, f.appOwner).cancelAppOrder(orders.app);
    expect(await f.continuum.consumed(appDigest)).to.equal(MAX_UINT256);
    expect(await f.continuum.remainingVolume(appDigest, 10n)).to.equal(0n);
    expect(await f.continuum.remainingVolume(appDigest, MAX_UINT256)).to.equal(0n);
  });

  it("an order of volume 0 is refused with OrderFullyConsumed", async () => {
    const f = await loadProtocol();
    const orders = await defaultOrders(f, { app: await appOrder(f, { volume: 0n }) });
    await expect(match(f, orders, await signAll(f, orders)))
      .to.be.revertedWithCustomError(f.continuum, "OrderFullyConsumed")
      .withArgs(digestOf(f, "app", orders));
  });
});

describe("OrderBook expiry", () => {
  it("an order is still usable in the block whose timestamp equals its expiry", async () => {
    const f = await loadProtocol();
    const expiry = BigInt(await f.connection.networkHelpers.time.latest()) + 120n;
    const orders = await defaultOrders(f, { request: await requestOrder(f, { expiry }) });
    const signatures = await signAll(f, orders);
    await f.connection.networkHelpers.time.setNextBlockTimestamp(expiry);
    await expect(match(f, orders, signatures)).to.emit(f.continuum, "DealCreated");
  });

  it("an order is refused one second after its expiry", async () => {
    const f = await loadProtocol();
    const expiry = BigInt(await f.connection.networkHelpers.time.latest()) + 120n;
    const orders = await defaultOrders(f, { request: await requestOrder(f, { expiry }) });
    const signatures = await signAll(f, orders);
    await f.connection.networkHelpers.time.setNextBlockTimestamp(expiry + 1n);
    await expect(match(f, orders, signatures))
      .to.be.revertedWithCustomError(f.continuum, "OrderExpired")
      .withArgs(digestOf(f, "request", orders), expiry);
  });
});
