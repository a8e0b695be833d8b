// A protocol history touching every event the ledger projects: categories, registrations,
// transfers, deposits and withdrawals, deals with and without dataset, TEE and plain results
// (single and batched), claims, a request filled by two deals, on-chain approvals and
// cancellations, a zero stake ratio (once in force). Loaded as a Hardhat fixture (snapshot, then revert).
import type { ContractTransactionReceipt, Signer } from "ethers";
import { toDeal, type Deal } from "../../../../src/wire/eip712/index.ts";
import {
  NO_TAG,
  appOrder,
  by,
  connection,
  datasetOrder,
  defaultOrders,
  emptyDatasetOrder,
  loadFixtureAfresh,
  loadProtocol,
  matchArgs,
  plainResult,
  requestDigest,
  requestOrder,
  signAll,
  teeResult,
  workerpoolOrder,
  type Fixture,
  type OrderSet,
} from "../../../helpers/protocolFixture.ts";

export type MatchedDeal = { dealId: string; deal: Deal; requestHash: string };

export type Scenario = {
  f: Fixture;
  /** TEE deal with dataset, volume 3, every task completed (one push, then a batch). */
  completed: MatchedDeal;
  /** Plain deal without dataset, volume 2: task 0 completed, task 1 claimed. */
  mixed: MatchedDeal;
  /** TEE deal on the second workerpool, volume 2, both tasks claimed. */
  claimed: MatchedDeal;
  /** One request of volume 5 filled by two deals (2 + 3 tasks); only task 0 of the first completed. */
  partialFirst: MatchedDeal;
  partialSecond: MatchedDeal;
  /** Plain deal matched at a zero stake ratio, completed. */
  unstaked: MatchedDeal;
  /** A request approved on-chain and never matched, and one approved then cancelled. */
  openRequestHash: string;
  cancelledRequestHash: string;
  /** The app order cancelled by its owner. */
  cancelledAppOrderHash: string;
};

export function loadScenario(): Promise<Scenario> {
  return loadFixtureAfresh(ledgerScenario);
}

async function ledgerScenario(): Promise<Scenario> {
  const f = await loadProtocol();
  const { continuum, pools, apps, deployer, stranger, requester, poolOwner, appOwner, worker } = f;
  await by(continuum, deployer).createCategory("M", "8 vCPU, 32 GiB RAM", 600n);
  await pools.registerWorkerpool(stranger.address, "night pool");
  await by(continuum, stranger).deposit(1_000n);
  await by(continuum, stranger).depositFor(requester.address, 500n);

  const completed = await match(f, await teeOrders(f, 3n));
  await wait(by(continuum, worker).pushResult(completed.deal, await teeResult(f, completed.dealId, 0n)));
  await wait(
    by(continuum, poolOwner).pushResultBatch(completed.deal, [
      await teeResult(f, completed.dealId, 1n),
      await teeResult(f, completed.dealId, 2n),
    ]),
  );

  const mixed = await match(f, await plainOrders(f, 2n));
  await wait(by(continuum, worker).pushResult(mixed.deal, await plainResult(f, mixed.dealId, 0n)));

  const claimed = await match(
    f,
    await teeOrders(f, 2n, { workerpool: await workerpoolOrder(f, { workerpool: 2n }) }),
    { workerpool: stranger },
  );

  const partialRequest = await requestOrder(f, { volume: 5n });
  const partialFirst = await match(f, await teeOrders(f, 5n, { app: await appOrder(f, { volume: 2n }), request: partialRequest }));
  const partialSecond = await match(f, await teeOrders(f, 5n, { request: partialRequest }));
  await wait(by(continuum, worker).pushResult(partialFirst.deal, await teeResult(f, partialFirst.dealId, 0n)));

  const lastDeadline = mixed.deal.deadline > claimed.deal.deadline ? mixed.deal.deadline : claimed.deal.deadline;
  await connection.networkHelpers.time.increaseTo(lastDeadline + 1n);
  await wait(by(continuum, stranger).claim(mixed.deal, [1n]));
  await wait(by(continuum, requester).claim(claimed.deal, [0n, 1n]));

  const unusedAppOrder = await appOrder(f);
  await wait(by(continuum, appOwner).cancelAppOrder(unusedAppOrder));
  const openRequest = await requestOrder(f);
  await wait(by(continuum, requester).approveRequestOrder(openRequest));
  const cancelledRequest = await requestOrder(f);
  await wait(by(continuum, requester).approveRequestOrder(cancelledRequest));
  await wait(by(continuum, requester).cancelRequestOrder(cancelledRequest));

  await wait(by(continuum, deployer).setStakeRatio(0n));
  await connection.networkHelpers.time.increase(await continuum.STAKE_RATIO_DELAY());
  const unstaked = await match(f, await plainOrders(f, 1n));
  await wait(by(continuum, worker).pushResult(unstaked.deal, await plainResult(f, unstaked.dealId, 0n)));

  await wait(by(continuum, poolOwner).withdraw(7n));
  await wait(by(continuum, requester).withdraw(11n));
  await wait(by(pools, poolOwner).setDescription(1n, "city pool, now with GPUs"));
  await wait(by(apps, appOwner).transferFrom(appOwner.address, stranger.address, 1n));

  return {
    f,
    completed,
    mixed,
    claimed,
    partialFirst,
    partialSecond,
    unstaked,
    openRequestHash: requestDigest(f, openRequest),
    cancelledRequestHash: requestDigest(f, cancelledRequest),
    cancelledAppOrderHash: (await continuum.appOrderDigest(unusedAppOrder)) as string,
  };
}

/** TEE orders with a dataset; app, dataset and workerpool orders are large enough for `volume`. */
export async function teeOrders(f: Fixture, volume: bigint, overrides: Partial<OrderSet> = {}): Promise<OrderSet> {
  return defaultOrders(f, {
    app: await appOrder(f, { volume: 100n }),
    dataset: await datasetOrder(f, { volume: 100n }),
    workerpool: await workerpoolOrder(f, { volume: 100n }),
    request: await requestOrder(f, { volume }),
    ...overrides,
  });
}

/** Orders without TEE and without dataset. */
export async function plainOrders(f: Fixture, volume: bigint): Promise<OrderSet> {
  return {
    app: await appOrder(f, { tag: NO_TAG }),
    dataset: emptyDatasetOrder(),
    workerpool: await workerpoolOrder(f, { tag: NO_TAG }),
    request: await requestOrder(f, { tag: NO_TAG, dataset: 0n, datasetMaxPrice: 0n, volume }),
  };
}

/** Matches the orders (signed by their owners, or `signers`) and returns the deal. */
export async function match(
  f: Fixture,
  orders: OrderSet,
  signers: Partial<Record<keyof OrderSet, Signer>> = {},
): Promise<MatchedDeal> {
  const signatures = await signAll(f, orders, signers);
  const receipt = await wait(by(f.continuum, f.stranger).matchOrders(...matchArgs(orders, signatures)));
  for (const log of receipt.logs) {
    const parsed = f.continuum.interface.parseLog(log);
    if (parsed?.name === "DealCreated") {
      return { dealId: parsed.args.dealId as string, deal: toDeal(parsed.args.deal), requestHash: requestDigest(f, orders.request) };
    }
  }
  throw new Error("matchOrders emitted no DealCreated");
}

export async function wait(sent: Promise<{ wait(): Promise<unknown> }>): Promise<ContractTransactionReceipt> {
  return (await (await sent).wait()) as ContractTransactionReceipt;
}
