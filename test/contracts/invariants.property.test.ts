// Property tests of the protocol against random histories: escrow stays backed by the token,
// volumes stay bounded, tasks settle once, reputation follows events; and over random terms and
// failure causes, nobody gains by causing a failure and no workerpool is paid on a forged verdict.
import { expect } from "chai";
import fc from "fast-check";
import {
  appOrder,
  datasetOrder,
  failureVerdict,
  loadProtocol,
  matchArgs,
  matchDeal,
  requestOrder,
  signAll,
  teeResult,
  workerpoolOrder,
  type Fixture,
  type OrderSet,
  by,
} from "../helpers/protocolFixture.ts";
import { FAILURE_CAUSE, orderDigest, toDeal, type Deal, type FailureCause } from "../../src/wire/eip712/index.ts";

const CAUSES: FailureCause[] = Object.values(FAILURE_CAUSE);

type Action =
  | { type: "deposit"; who: number; amount: bigint }
  | { type: "withdraw"; who: number; amount: bigint }
  | { type: "match"; volume: bigint }
  | { type: "push"; deal: number; task: number }
  | { type: "batch"; deal: number; tasks: number[] }
  | { type: "claim"; deal: number; tasks: number[] }
  | { type: "fail"; deal: number; tasks: number[]; cause: FailureCause; forged: boolean }
  | { type: "wait"; seconds: number }
  | { type: "cancelPoolOrder" };

/** failTaskBatch by the pool owner, on the SMS's verdicts or (`forged`) on verdicts it signed itself. */
function failAction(forged: boolean): fc.Arbitrary<Action> {
  return fc.record({
    type: fc.constant("fail" as const),
    deal: fc.nat(),
    tasks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    cause: fc.constantFrom(...CAUSES),
    forged: fc.constant(forged),
  });
}

const claimAction = fc.record({ type: fc.constant("claim" as const), deal: fc.nat(), tasks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) });

/** Weighted so that every kind of settlement (push, failTask, claim) is reached often. */
const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant("deposit" as const), who: fc.nat(2), amount: fc.bigInt(1n, 500n) }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant("withdraw" as const), who: fc.nat(2), amount: fc.bigInt(1n, 10n ** 24n) }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant("match" as const), volume: fc.bigInt(1n, 4n) }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant("push" as const), deal: fc.nat(), task: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({ type: fc.constant("batch" as const), deal: fc.nat(), tasks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
    weight: 2,
  },
  { arbitrary: claimAction, weight: 3 },
  { arbitrary: failAction(false), weight: 2 },
  { arbitrary: failAction(true), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 1200 }) }), weight: 1 },
  // Past any deal's deadline (maximum run time 100 s x (10 + volume 4)), so that claims are reached often.
  { arbitrary: fc.record({ type: fc.constant("wait" as const), seconds: fc.integer({ min: 1401, max: 3000 }) }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant("cancelPoolOrder" as const) }), weight: 1 },
);

type Model = {
  deals: { id: string; deal: Deal }[];
  finalized: Set<string>;
  completed: bigint;
  failed: bigint;
  /** Tasks settled by failTask: they move no reputation. */
  reportedFailures: bigint;
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
    case "fail": {
      if (model.deals.length === 0) return;
      const { id, deal } = model.deals[action.deal % model.deals.length];
      // Distinct tasks (a batch naming one twice is refused, as the contract tests show).
      const indexes = [...new Set(action.tasks.map((t) => BigInt(t) % deal.volume))];
      const keys = indexes.map((index) => `${id}:${index}`);
      // A forged verdict: the pool signs "the requester did it" itself.
      const signer = action.forged ? f.poolOwner : f.sms;
      const cause = action.forged ? FAILURE_CAUSE.requester : action.cause;
      const reports = await Promise.all(
        indexes.map(async (index) => ({ index, cause, attempt: 1, smsSignature: await failureVerdict(f, id, index, cause, signer) })),
      );
      const ok = await succeeded(by(f.continuum, f.poolOwner).failTaskBatch(deal, reports));
      if (ok) {
        expect(action.forged, "a forged failure verdict was accepted").to.equal(false);
        expect(new Set(keys).size === keys.length && keys.every((key) => !model.finalized.has(key))).to.equal(true);
        keys.forEach((key) => model.finalized.add(key));
        model.reportedFailures += BigInt(keys.length);
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
  const reported = await f.continuum.queryFilter(f.continuum.filters.TaskFailed());
  expect(BigInt(pushed.length)).to.equal(completed, "completed count != ResultPushed events");
  expect(BigInt(claimed.length)).to.equal(failed, "failed count != TaskClaimed events");
  expect(BigInt(reported.length)).to.equal(model.reportedFailures, "failTask settlements != TaskFailed events");
}

describe("Continuum invariants (property)", () => {
  it("keeps escrow solvent, volumes bounded, tasks settled once and reputation equal to events", async () => {
    const exercised = { deals: 0, completed: 0n, failed: 0n, reported: 0n };
    await fc.assert(
      fc.asyncProperty(fc.array(actionArbitrary, { minLength: 10, maxLength: 30 }), async (actions) => {
        const f = await loadProtocol();
        const provider: OrderSet = {
          app: await appOrder(f, { volume: 1000n }),
          dataset: await datasetOrder(f, { volume: 9n }),
          workerpool: await workerpoolOrder(f, { volume: 7n }),
          request: await requestOrder(f),
        };
        const model: Model = { deals: [], finalized: new Set(), completed: 0n, failed: 0n, reportedFailures: 0n, poolCancelled: false };
        for (const action of actions) {
          await apply(f, provider, model, action);
          await checkInvariants(f, provider, model);
        }
        exercised.deals += model.deals.length;
        exercised.completed += model.completed;
        exercised.failed += model.failed;
        exercised.reported += model.reportedFailures;
      }),
      { numRuns: 25 },
    );
    // The random sequences must have reached every kind of settlement, or the property proved little.
    expect(exercised.deals).to.be.greaterThan(0);
    expect({ completed: exercised.completed > 0n, claimed: exercised.failed > 0n, reported: exercised.reported > 0n }).to.deep.equal({
      completed: true,
      claimed: true,
      reported: true,
    });
  });
});

type Outcome = { kind: "completed" } | { kind: "failed"; cause: FailureCause } | { kind: "unfinished" };

/** Every way a task can end; the property runs for each, so none goes untested. */
const OUTCOMES: Outcome[] = [
  { kind: "completed" },
  ...CAUSES.map((cause): Outcome => ({ kind: "failed", cause })),
  { kind: "unfinished" },
];

const termsArbitrary = fc.record({
  appPrice: fc.bigInt(0n, 1_000n),
  datasetPrice: fc.bigInt(0n, 1_000n),
  poolPrice: fc.bigInt(0n, 1_000n),
  stakeRatioBps: fc.bigInt(0n, 10_000n),
  volume: fc.bigInt(1n, 3n),
});

type Terms = typeof termsArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Free plus locked escrow of each party: what it holds in the protocol. */
async function holdings(f: Fixture) {
  const of = async (account: { address: string }) =>
    (await f.continuum.balanceOf(account.address)) + (await f.continuum.lockedOf(account.address));
  return { requester: await of(f.requester), pool: await of(f.poolOwner), app: await of(f.appOwner), dataset: await of(f.datasetOwner) };
}

type Holdings = Awaited<ReturnType<typeof holdings>>;

function change(after: Holdings, before: Holdings): Holdings {
  return {
    requester: after.requester - before.requester,
    pool: after.pool - before.pool,
    app: after.app - before.app,
    dataset: after.dataset - before.dataset,
  };
}

/**
 * Matches one deal on `terms`, shows that forged verdicts are refused, settles every task as
 * `outcome` says, and compares what each party ends with to the honest completion of the deal.
 */
async function settleAndCompare(outcome: Outcome, terms: Terms): Promise<void> {
  const f = await loadProtocol();
  if (terms.stakeRatioBps !== (await f.continuum.stakeRatioBps())) {
    await f.continuum.setStakeRatio(terms.stakeRatioBps);
    await f.connection.networkHelpers.time.increase(await f.continuum.STAKE_RATIO_DELAY());
  }
  const before = await holdings(f);
  const { dealId, deal } = await matchDeal(f, {
    app: await appOrder(f, { price: terms.appPrice }),
    dataset: await datasetOrder(f, { price: terms.datasetPrice }),
    workerpool: await workerpoolOrder(f, { price: terms.poolPrice }),
    request: await requestOrder(f, {
      volume: terms.volume, appMaxPrice: terms.appPrice, datasetMaxPrice: terms.datasetPrice, workerpoolMaxPrice: terms.poolPrice,
    }),
  });
  const indexes = Array.from({ length: Number(deal.volume) }, (_, i) => BigInt(i));
  const tokenHeld = await f.token.balanceOf(f.deployment.continuum);
  const matched = await holdings(f);

  // The honest case: every task completed. Measured, then undone.
  const snapshot = await f.connection.networkHelpers.takeSnapshot();
  await f.continuum.pushResultBatch(deal, await Promise.all(indexes.map((index) => teeResult(f, dealId, index))));
  const honest = change(await holdings(f), before);
  await snapshot.restore();

  // A pool cannot fake a requester-caused failure: its own signature, a verdict naming someone
  // else, or one for another task are all refused, and nothing moves.
  const pool = by(f.continuum, f.poolOwner);
  const cause = FAILURE_CAUSE.requester;
  const forgeries = [
    await failureVerdict(f, dealId, 0n, cause, f.poolOwner),
    await failureVerdict(f, dealId, 0n, FAILURE_CAUSE.appOwner),
    await failureVerdict(f, dealId, 1n, cause),
  ];
  for (const smsSignature of forgeries) {
    await expect(pool.failTask(deal, { index: 0n, cause, attempt: 1, smsSignature })).to.be.revertedWithCustomError(f.continuum, "InvalidFailureEvidence");
  }
  expect(await holdings(f)).to.deep.equal(matched);

  if (outcome.kind === "completed") {
    await f.continuum.pushResultBatch(deal, await Promise.all(indexes.map((index) => teeResult(f, dealId, index))));
  } else if (outcome.kind === "failed") {
    const reports = await Promise.all(
      indexes.map(async (index) => ({ index, cause: outcome.cause, attempt: 1, smsSignature: await failureVerdict(f, dealId, index, outcome.cause) })),
    );
    await pool.failTaskBatch(deal, reports);
  } else {
    await f.connection.networkHelpers.time.increaseTo(deal.deadline + 1n);
    await f.continuum.claim(deal, indexes);
  }
  const actual = change(await holdings(f), before);

  // Conservation: settling moves tokens between accounts, never in or out of the escrow.
  expect(await f.token.balanceOf(f.deployment.continuum)).to.equal(tokenHeld);
  expect(actual.requester + actual.pool + actual.app + actual.dataset).to.equal(0n);

  const stake = deal.stakePerTask * deal.volume;
  if (outcome.kind === "failed") {
    const coalition = actual.requester + actual.app + actual.dataset;
    // A requester (with the app or dataset owner on its side) cannot profit from a failure...
    expect(actual.requester <= 0n && coalition <= 0n, "a failure paid the requester's side").to.equal(true);
    // ...nor pay more than for the honest completion.
    expect(actual.requester >= honest.requester).to.equal(true);
    // The pool keeps its stake, and gains nothing over doing the work.
    expect(actual.pool >= 0n && actual.pool <= honest.pool, "a failure cost the pool its stake or paid it more than the work").to.equal(true);
    if (outcome.cause === FAILURE_CAUSE.requester) expect(actual.pool).to.equal(honest.pool);
    else expect(actual).to.deep.equal({ requester: 0n, pool: 0n, app: 0n, dataset: 0n });
    expect(await f.continuum.reputationOf(1n)).to.deep.equal([0n, 0n, 5000n]);
  } else if (outcome.kind === "unfinished") {
    // Only a pool that neither pushed nor reported a verdict in time loses its stake.
    expect(actual.requester).to.equal(stake);
    expect(actual.pool).to.equal(-stake);
  } else {
    expect(actual).to.deep.equal(honest);
  }
}

describe("Failure settlement (property)", () => {
  for (const outcome of OUTCOMES) {
    const name = outcome.kind === "failed" ? `failed, cause ${outcome.cause}` : outcome.kind;
    it(`${name}, over random prices, stake ratios and volumes: nobody gains by causing a failure, and a forged verdict pays nothing`, async () => {
      await fc.assert(fc.asyncProperty(termsArbitrary, (terms) => settleAndCompare(outcome, terms)), { numRuns: 8 });
    });
  }
});
