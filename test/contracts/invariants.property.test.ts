import { expect } from "chai";
import fc from "fast-check";
import {
  appOrder,
  datasetOrder,
  loadProtocol,
  matchArgs,
  requestOrder,
  signAll,
  teeResult,
  workerpoolOrder,
  type Fixture,
  type OrderSet,
  by,
} from "../helpers/protocolFixture.ts";
import { orderDigest, toDeal, type Deal } from "../../src/wire/eip712/index.ts";

type Action =
  | { type: "deposit"; who: number; amount: bigint }
  | { type: "withdraw"; who: number; amount: bigint }
  | { type: "match"; volume: bigint }
  | { type: "push"; deal: number; task: number }
  | { type: "batch"; deal: number; tasks: number[] }
  | { type: "claim"; deal: number; tasks: number[] }
  | { type: "wait"; seconds: number }
  | { type: "cancelPoolOrder" };

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant("deposit" as const), who: fc.nat(2), amount: fc.bigInt(1n, 500n) }),
  fc.record({ type: fc.constant("withdraw" as const), who: fc.nat(2), amount: fc.bigInt(1n, 10n ** 24n) }),
  fc.record({ type: fc.constant("match" as const), volume: fc.bigInt(1n, 4n) }),
  fc.record({ type: fc.constant("match" as const), volume: fc.bigInt(1n, 4n) }),
  fc.record({ type: fc.constant("push" as const), deal: fc.nat(), task: fc.nat() }),
  fc.record({ type: fc.constant("batch" as const), deal: fc.nat(), tasks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant("claim" as const), deal: fc.nat(), tasks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant("claim" as const), deal: fc.nat(), tasks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 1200 }) }),
  // Past any deal's deadline (maximum run time 100 s x 10), so that claims are reached often.
  fc.record({ type: fc.constant("wait" as const), seconds: fc.integer({ min: 1001, max: 3000 }) }),
  fc.record({ type: fc.constant("cancelPoolOrder" as const) }),
);

type Model = {
  deals: { id: string; deal: Deal }[];
  finalized: Set<string>;
  completed: bigint;
  failed: bigint;
  poolCancelled: boolean;
};

async function succeeded(promise: Promise<{ wait(): Promise<unknown> }>): Promise<boolean> {
  try {
    await (await promise).wait();
    return true;
  } catch {
    return false;
  }
}

async function apply(f: Fixture, provider: OrderSet, model: Model, action: Action): Promise<void> {
  const parties = [f.requester, f.poolOwner, f.stranger];
  switch (action.type) {
    case "deposit":
      await succeeded(by(f.continuum, parties[action.who]).deposit(action.amount));
      return;
    case "withdraw":
      await succeeded(by(f.continuum, parties[action.who]).withdraw(action.amount));
      return;
    case "match": {
      const orders = { ...provider, request: await requestOrder(f, { volume: action.volume }) };
      const signatures = await signAll(f, orders);
      try {
        const receipt = await (await f.continuum.matchOrders(...matchArgs(orders, signatures))).wait();
        for (const log of receipt!.logs) {
          const parsed = f.continuum.interface.parseLog(log);
          if (parsed?.name === "DealCreated") model.deals.push({ id: parsed.args.dealId, deal: toDeal(parsed.args.deal) });
        }
      } catch {
        // Refused matches (consumed, cancelled, unfunded) change nothing; the invariants check that.
      }
      return;
    }
    case "push":
    case "batch": {
      if (model.deals.length === 0) return;
      const { id, deal } = model.deals[action.deal % model.deals.length];
      const indexes = (action.type === "push" ? [action.task] : action.tasks).map((t) => BigInt(t) % deal.volume);
      const results = await Promise.all(indexes.map((index) => teeResult(f, id, index)));
      const call = action.type === "push" ? f.continuum.pushResult(deal, results[0]) : f.continuum.pushResultBatch(deal, results);
      const keys = indexes.map((index) => `${id}:${index}`);
      const ok = await succeeded(call);
      const allowed = new Set(keys).size === keys.length && keys.every((key) => !model.finalized.has(key));
      if (ok) {
        expect(allowed, "a finalized or duplicated task was paid").to.equal(true);
        keys.forEach((key) => model.finalized.add(key));
        model.completed += BigInt(keys.length);
      }
      return;
    }
    case "claim": {
      if (model.deals.length === 0) return;
      const { id, deal } = model.deals[action.deal % model.deals.length];
      const indexes = action.tasks.map((t) => BigInt(t) % deal.volume);
      const keys = indexes.map((index) => `${id}:${index}`);
      const ok = await succeeded(f.continuum.claim(deal, indexes));
      if (ok) {
        expect(new Set(keys).size === keys.length && keys.every((key) => !model.finalized.has(key))).to.equal(true);
        keys.forEach((key) => model.finalized.add(key));
        model.failed += BigInt(keys.length);
      }
      return;
    }
    case "wait":
      await f.connection.networkHelpers.time.increase(action.seconds);
      return;
    case "cancelPoolOrder":
      if (await succeeded(by(f.continuum, f.poolOwner).cancelWorkerpoolOrder(provider.workerpool))) {
        model.poolCancelled = true;
      }
      return;
  }
}

async function checkInvariants(f: Fixture, provider: OrderSet, model: Model): Promise<void> {
  const accounts = [f.requester, f.poolOwner, f.stranger, f.appOwner, f.datasetOwner];
  let held = 0n;
  for (const account of accounts) {
    held += (await f.continuum.balanceOf(account.address)) + (await f.continuum.lockedOf(account.address));
  }
  expect(await f.token.balanceOf(await f.continuum.getAddress())).to.equal(held, "escrow total != token balance");

  for (const kind of ["app", "dataset", "workerpool"] as const) {
    const used = await f.continuum.consumed(orderDigest(kind, f.domain, provider[kind] as never));
    if (kind === "workerpool" && model.poolCancelled) expect(used).to.equal(2n ** 256n - 1n);
    else expect(used <= provider[kind].volume, `${kind} order overfilled`).to.equal(true);
  }
  const issued = model.deals.reduce((sum, { deal }) => sum + deal.volume, 0n);
  if (!model.poolCancelled) {
    expect(issued).to.equal(await f.continuum.consumed(orderDigest("workerpool", f.domain, provider.workerpool)));
  }

  const [completed, failed] = await f.continuum.reputationOf(1n);
  expect([completed, failed]).to.deep.equal([model.completed, model.failed]);
  const pushed = await f.continuum.queryFilter(f.continuum.filters.ResultPushed());
  const claimed = await f.continuum.queryFilter(f.continuum.filters.TaskClaimed());
  expect(BigInt(pushed.length)).to.equal(completed, "completed count != ResultPushed events");
  expect(BigInt(claimed.length)).to.equal(failed, "failed count != TaskClaimed events");
}

describe("Continuum invariants (property)", () => {
  it("keeps escrow solvent, volumes bounded, tasks paid once and reputation equal to events", async () => {
    const exercised = { deals: 0, completed: 0n, failed: 0n };
    await fc.assert(
      fc.asyncProperty(fc.array(actionArbitrary, { minLength: 5, maxLength: 30 }), async (actions) => {
        const f = await loadProtocol();
        const provider: OrderSet = {
          app: await appOrder(f, { volume: 1000n }),
          dataset: await datasetOrder(f, { volume: 9n }),
          workerpool: await workerpoolOrder(f, { volume: 7n }),
          request: await requestOrder(f),
        };
        const model: Model = { deals: [], finalized: new Set(), completed: 0n, failed: 0n, poolCancelled: false };
        for (const action of actions) {
          await apply(f, provider, model, action);
          await checkInvariants(f, provider, model);
        }
        exercised.deals += model.deals.length;
        exercised.completed += model.completed;
        exercised.failed += model.failed;
      }),
      { numRuns: 25 },
    );
    // The random sequences must have reached every kind of settlement, or the property proved little.
    expect(exercised.deals).to.be.greaterThan(0);
    expect(exercised.completed > 0n && exercised.failed > 0n).to.equal(true);
  });
});
