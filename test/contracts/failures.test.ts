// Contract tests of failed tasks: failTask and failTaskBatch settle a task on the SMS's signed
// verdict naming who is to blame, with every revert path, and how they meet pushes and claims.
import { expect } from "chai";
import { Wallet, ZeroAddress } from "ethers";
import {
  FUNDS,
  appOrder,
  by,
  datasetOrder,
  defaultOrders,
  emptyDatasetOrder,
  failureVerdict,
  loadProtocol,
  loadProtocolWithoutSms,
  matchDeal,
  requestOrder,
  teeResult,
  workerpoolOrder,
  type Fixture,
} from "../helpers/protocolFixture.ts";
import { FAILURE_CAUSE, taskIdOf, type Deal, type FailureCause } from "../../src/wire/eip712/index.ts";

const { requester: REQUESTER, datasetOwner: DATASET_OWNER, appOwner: APP_OWNER } = FAILURE_CAUSE;
// Fixture prices: app 5, dataset 3, workerpool 10; stake ceil(10 x 30%) = 3.
const HALF = FUNDS / 2n;

async function deal(f: Fixture, volume = 1n) {
  return matchDeal(f, {
    app: await appOrder(f, { volume: 1000n }),
    dataset: await datasetOrder(f, { volume: 1000n }),
    workerpool: await workerpoolOrder(f, { volume: 1000n }),
    request: await requestOrder(f, { volume }),
  });
}

async function fail(f: Fixture, d: { dealId: string; deal: Deal }, index: bigint, cause: FailureCause, caller = f.poolOwner) {
  return by(f.continuum, caller).failTask(d.deal, { index, cause, attempt: 1, smsSignature: await failureVerdict(f, d.dealId, index, cause) });
}

async function balances(f: Fixture) {
  const of = async (account: { address: string }) =>
    [await f.continuum.balanceOf(account.address), await f.continuum.lockedOf(account.address)] as const;
  return {
    requester: await of(f.requester),
    pool: await of(f.poolOwner),
    app: await of(f.appOwner),
    dataset: await of(f.datasetOwner),
  };
}

describe("Continuum failed tasks", () => {
  describe("failTask", () => {
    it("requester to blame: the pool is paid its price, app and dataset prices go back, the stake is released", async () => {
      const f = await loadProtocol();
      const d = await deal(f);
      const taskId = taskIdOf(d.dealId, 0n);
      await expect(fail(f, d, 0n, REQUESTER))
        .to.emit(f.continuum, "TaskFailed")
        .withArgs(d.dealId, 0n, taskId, REQUESTER, 1)
        .and.to.not.emit(f.continuum, "ReputationChanged");
      expect(await balances(f)).to.deep.equal({
        requester: [HALF - 10n, 0n],
        pool: [HALF + 10n, 0n],
        app: [0n, 0n],
        dataset: [0n, 0n],
      });
      expect(await f.continuum.isTaskFinalized(d.dealId, 0n)).to.equal(true);
      expect(await f.continuum.reputationOf(1n)).to.deep.equal([0n, 0n, 5000n]);
    });

    for (const [who, cause] of [["dataset owner", DATASET_OWNER], ["app owner", APP_OWNER]] as const) {
      it(`${who} to blame: the requester gets everything back, the stake is released, nobody is paid`, async () => {
        const f = await loadProtocol();
        const d = await deal(f);
        await expect(fail(f, d, 0n, cause))
          .to.emit(f.continuum, "TaskFailed")
          .withArgs(d.dealId, 0n, taskIdOf(d.dealId, 0n), cause, 1)
          .and.to.not.emit(f.continuum, "ReputationChanged");
        expect(await balances(f)).to.deep.equal({
          requester: [HALF, 0n],
          pool: [HALF, 0n],
          app: [0n, 0n],
          dataset: [0n, 0n],
        });
      });
    }

    it("refuses while no SMS signer is registered (SmsSignerNotSet)", async () => {
      const f = await loadProtocolWithoutSms();
      const d = await deal(f);
      await expect(by(f.continuum, f.poolOwner).failTask(d.deal, { index: 0n, cause: REQUESTER, attempt: 1, smsSignature: "0x" })).to.be.revertedWithCustomError(
        f.continuum,
        "SmsSignerNotSet",
      );
    });

    it("refuses anyone but the workerpool owner, even with a genuine verdict (UnauthorizedFailureReport)", async () => {
      const f = await loadProtocol();
      const d = await deal(f);
      for (const caller of [f.requester, f.worker, f.stranger, f.appOwner]) {
        await expect(fail(f, d, 0n, REQUESTER, caller))
          .to.be.revertedWithCustomError(f.continuum, "UnauthorizedFailureReport")
          .withArgs(taskIdOf(d.dealId, 0n), caller.address);
      }
    });

    it("refuses an unknown cause, and blaming a dataset owner on a deal without dataset (InvalidFailureCause)", async () => {
      const f = await loadProtocol();
      const d = await deal(f);
      const taskId = taskIdOf(d.dealId, 0n);
      for (const cause of [0, 4, 255]) {
        await expect(by(f.continuum, f.poolOwner).failTask(d.deal, { index: 0n, cause, attempt: 1, smsSignature: "0x" }))
          .to.be.revertedWithCustomError(f.continuum, "InvalidFailureCause")
          .withArgs(taskId, cause);
      }
      const noDataset = await matchDeal(f, await defaultOrders(f, {
        dataset: emptyDatasetOrder(),
        request: await requestOrder(f, { dataset: 0n, datasetMaxPrice: 0n }),
      }));
      await expect(fail(f, noDataset, 0n, DATASET_OWNER))
        .to.be.revertedWithCustomError(f.continuum, "InvalidFailureCause")
        .withArgs(taskIdOf(noDataset.dealId, 0n), DATASET_OWNER);
      await expect(fail(f, noDataset, 0n, APP_OWNER)).to.emit(f.continuum, "TaskFailed");
    });

    it("a pool cannot fake a requester-caused failure: no SMS verdict for it, no pay (InvalidFailureEvidence)", async () => {
      const f = await loadProtocol();
      const d = await deal(f, 2n);
      const taskId = taskIdOf(d.dealId, 0n);
      const forged = [
        await failureVerdict(f, d.dealId, 0n, REQUESTER, f.poolOwner),
        await failureVerdict(f, d.dealId, 0n, APP_OWNER),
        await failureVerdict(f, d.dealId, 1n, REQUESTER),
        "0x",
        "0x" + "11".repeat(65),
      ];
      for (const signature of forged) {
        await expect(by(f.continuum, f.poolOwner).failTask(d.deal, { index: 0n, cause: REQUESTER, attempt: 1, smsSignature: signature }))
          .to.be.revertedWithCustomError(f.continuum, "InvalidFailureEvidence")
          .withArgs(taskId, f.sms.address);
      }
      expect(await f.continuum.balanceOf(f.poolOwner.address)).to.equal(HALF - 6n);
    });

    it("reports the attempt the SMS refused, and a verdict on one attempt does not pass for another", async () => {
      const f = await loadProtocol();
      const d = await deal(f);
      const taskId = taskIdOf(d.dealId, 0n);
      const third = await failureVerdict(f, d.dealId, 0n, REQUESTER, f.sms, 3);
      const pool = by(f.continuum, f.poolOwner);
      await expect(pool.failTask(d.deal, { index: 0n, cause: REQUESTER, attempt: 1, smsSignature: third }))
        .to.be.revertedWithCustomError(f.continuum, "InvalidFailureEvidence")
        .withArgs(taskId, f.sms.address);
      await expect(pool.failTask(d.deal, { index: 0n, cause: REQUESTER, attempt: 3, smsSignature: third }))
        .to.emit(f.continuum, "TaskFailed")
        .withArgs(d.dealId, 0n, taskId, REQUESTER, 3);
    });

    it("refuses a verdict signed by a rotated-out SMS key (InvalidFailureEvidence)", async () => {
      const f = await loadProtocol();
      const d = await deal(f);
      const verdict = await failureVerdict(f, d.dealId, 0n, REQUESTER);
      const next = Wallet.createRandom();
      await f.continuum.setSmsSigner(next.address);
      await expect(by(f.continuum, f.poolOwner).failTask(d.deal, { index: 0n, cause: REQUESTER, attempt: 1, smsSignature: verdict }))
        .to.be.revertedWithCustomError(f.continuum, "InvalidFailureEvidence")
        .withArgs(taskIdOf(d.dealId, 0n), next.address);
    });

    it("refuses after the deadline (DeadlinePassed): then only claim settles the task", async () => {
      const f = await loadProtocol();
      const d = await deal(f);
      const verdict = await failureVerdict(f, d.dealId, 0n, REQUESTER);
      await f.connection.networkHelpers.time.increaseTo(d.deal.deadline + 1n);
      await expect(by(f.continuum, f.poolOwner).failTask(d.deal, { index: 0n, cause: REQUESTER, attempt: 1, smsSignature: verdict }))
        .to.be.revertedWithCustomError(f.continuum, "DeadlinePassed")
        .withArgs(d.dealId, d.deal.deadline);
      await expect(f.continuum.claim(d.deal, [0n])).to.emit(f.continuum, "TaskClaimed");
    });

    it("settles a task once: not after a push, and neither a push nor a claim after it (TaskAlreadyFinalized)", async () => {
      const f = await loadProtocol();
      const d = await deal(f, 2n);
      await f.continuum.pushResult(d.deal, await teeResult(f, d.dealId, 0n));
      await expect(fail(f, d, 0n, REQUESTER))
        .to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized")
        .withArgs(d.dealId, 0n);
      await fail(f, d, 1n, APP_OWNER);
      await expect(fail(f, d, 1n, APP_OWNER)).to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized");
      await expect(f.continuum.pushResult(d.deal, await teeResult(f, d.dealId, 1n)))
        .to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized")
        .withArgs(d.dealId, 1n);
      await f.connection.networkHelpers.time.increaseTo(d.deal.deadline + 1n);
      await expect(f.continuum.claim(d.deal, [1n])).to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized");
    });

    it("refuses an unknown deal (UnknownDeal) and an index beyond the volume (TaskIndexOutOfRange)", async () => {
      const f = await loadProtocol();
      const d = await deal(f);
      await expect(by(f.continuum, f.poolOwner).failTask({ ...d.deal, requester: ZeroAddress }, { index: 0n, cause: REQUESTER, attempt: 1, smsSignature: "0x" }))
        .to.be.revertedWithCustomError(f.continuum, "UnknownDeal")
        .withArgs(d.dealId);
      await expect(fail(f, d, 1n, REQUESTER))
        .to.be.revertedWithCustomError(f.continuum, "TaskIndexOutOfRange")
        .withArgs(d.dealId, 1n, 1n);
    });
  });

  describe("failTaskBatch", () => {
    it("settles tasks of mixed causes at once, beyond the inline 64 task flags", async () => {
      const f = await loadProtocol();
      const d = await deal(f, 70n);
      const causes: FailureCause[] = [REQUESTER, DATASET_OWNER, APP_OWNER, REQUESTER, REQUESTER];
      const indexes = [0n, 1n, 63n, 64n, 69n];
      const reports = await Promise.all(
        indexes.map(async (index, i) => ({ index, cause: causes[i], attempt: 1, smsSignature: await failureVerdict(f, d.dealId, index, causes[i]) })),
      );
      const tx = by(f.continuum, f.poolOwner).failTaskBatch(d.deal, reports);
      for (const [i, index] of indexes.entries()) {
        await expect(tx).to.emit(f.continuum, "TaskFailed").withArgs(d.dealId, index, taskIdOf(d.dealId, index), causes[i], 1);
      }
      // 3 requester-caused tasks pay the pool 3 x 10; everything else locked for the 5 returns.
      expect(await balances(f)).to.deep.equal({
        requester: [HALF - 70n * 18n + 5n * 18n - 30n, 65n * 18n],
        pool: [HALF - 70n * 3n + 5n * 3n + 30n, 65n * 3n],
        app: [0n, 0n],
        dataset: [0n, 0n],
      });
      for (const index of indexes) expect(await f.continuum.isTaskFinalized(d.dealId, index)).to.equal(true);
    });

    it("refuses an empty batch (EmptyBatch), a task named twice (TaskAlreadyFinalized) and the whole batch for one bad verdict", async () => {
      const f = await loadProtocol();
      const d = await deal(f, 3n);
      const pool = by(f.continuum, f.poolOwner);
      await expect(pool.failTaskBatch(d.deal, [])).to.be.revertedWithCustomError(f.continuum, "EmptyBatch");
      const report = { index: 2n, cause: REQUESTER, attempt: 1, smsSignature: await failureVerdict(f, d.dealId, 2n, REQUESTER) };
      await expect(pool.failTaskBatch(d.deal, [report, report]))
        .to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized")
        .withArgs(d.dealId, 2n);
      const forged = { index: 0n, cause: REQUESTER, attempt: 1, smsSignature: await failureVerdict(f, d.dealId, 0n, APP_OWNER) };
      await expect(pool.failTaskBatch(d.deal, [report, forged])).to.be.revertedWithCustomError(f.continuum, "InvalidFailureEvidence");
      expect(await f.continuum.isTaskFinalized(d.dealId, 2n)).to.equal(false);
      await expect(by(f.continuum, f.requester).failTaskBatch(d.deal, [report])).to.be.revertedWithCustomError(
        f.continuum,
        "UnauthorizedFailureReport",
      );
    });

    it("refuses while no SMS signer is registered (SmsSignerNotSet)", async () => {
      const f = await loadProtocolWithoutSms();
      const d = await deal(f);
      await expect(
        by(f.continuum, f.poolOwner).failTaskBatch(d.deal, [{ index: 0n, cause: REQUESTER, attempt: 1, smsSignature: "0x" }]),
      ).to.be.revertedWithCustomError(f.continuum, "SmsSignerNotSet");
    });
  });
});
