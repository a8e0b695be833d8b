// Contract tests of task results: single and batched pushes with their signatures and the SMS's
// attestation of the enclave, what a completion does to reputation, and claims after the deadline.
import { expect } from "chai";
import { Wallet, ZeroAddress } from "ethers";
import {
  FUNDS,
  NO_TAG,
  SMS_KEY,
  appOrder,
  datasetOrder,
  defaultOrders,
  loadProtocol,
  loadProtocolWithoutSms,
  matchDeal,
  plainResult,
  requestOrder,
  teeResult,
  workerpoolOrder,
  type Fixture,
  by,
} from "../helpers/protocolFixture.ts";
import { signEnclaveAttested, taskIdOf, type Deal } from "../../src/wire/eip712/index.ts";

async function teeDeal(f: Fixture, volume = 1n, terms: { poolPrice?: bigint; requester?: Fixture["requester"] } = {}) {
  const price = terms.poolPrice ?? 10n;
  const requester = terms.requester ?? f.requester;
  const orders = await defaultOrders(f, {
    app: await appOrder(f, { volume: 1000n }),
    dataset: await datasetOrder(f, { volume: 1000n }),
    workerpool: await workerpoolOrder(f, { volume: 1000n, price }),
    request: await requestOrder(f, { volume, workerpoolMaxPrice: price, requester: requester.address }),
  });
  return matchDeal(f, orders, { request: requester });
}

async function plainDeal(f: Fixture, volume = 1n) {
  const orders = await defaultOrders(f, {
    app: await appOrder(f, { tag: NO_TAG }),
    dataset: await datasetOrder(f, { tag: NO_TAG }),
    workerpool: await workerpoolOrder(f, { tag: NO_TAG }),
    request: await requestOrder(f, { tag: NO_TAG, volume }),
  });
  return matchDeal(f, orders);
}

async function pastDeadline(f: Fixture, deal: Deal) {
  await f.connection.networkHelpers.time.increaseTo(deal.deadline + 1n);
}

describe("Continuum results", () => {
  describe("pushResult", () => {
    it("accepts a TEE result, pays every party, releases the stake and raises reputation", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      const result = await teeResult(f, dealId, 0n);
      await expect(by(f.continuum, f.stranger).pushResult(deal, result))
        .to.emit(f.continuum, "ResultPushed")
        .withArgs(dealId, 0n, taskIdOf(dealId, 0n), f.worker.address, f.enclave.address, result.resultDigest, result.resultCid)
        .and.to.emit(f.continuum, "ReputationChanged")
        .withArgs(1n, 1n, 0n, 6666n);
      expect(await f.continuum.balanceOf(f.appOwner.address)).to.equal(5n);
      expect(await f.continuum.balanceOf(f.datasetOwner.address)).to.equal(3n);
      expect(await f.continuum.balanceOf(f.poolOwner.address)).to.equal(FUNDS / 2n + 10n);
      expect(await f.continuum.lockedOf(f.poolOwner.address)).to.equal(0n);
      expect(await f.continuum.lockedOf(f.requester.address)).to.equal(0n);
      expect(await f.continuum.balanceOf(f.requester.address)).to.equal(FUNDS / 2n - 18n);
      expect(await f.continuum.isTaskFinalized(dealId, 0n)).to.equal(true);
      expect(await f.continuum.reputationOf(1n)).to.deep.equal([1n, 0n, 6666n]);
    });

    it("refuses a deal that does not match its commitment (UnknownDeal)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      const result = await teeResult(f, dealId, 0n);
      await expect(f.continuum.pushResult({ ...deal, appPrice: 1000n }, result))
        .to.be.revertedWithCustomError(f.continuum, "UnknownDeal")
        .withArgs(dealId);
    });

    it("refuses an index beyond the deal's volume (TaskIndexOutOfRange)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 2n);
      await expect(f.continuum.pushResult(deal, await teeResult(f, dealId, 2n)))
        .to.be.revertedWithCustomError(f.continuum, "TaskIndexOutOfRange")
        .withArgs(dealId, 2n, 2n);
    });

    it("never pays a task twice (TaskAlreadyFinalized)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 2n);
      await f.continuum.pushResult(deal, await teeResult(f, dealId, 1n));
      await expect(f.continuum.pushResult(deal, await teeResult(f, dealId, 1n)))
        .to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized")
        .withArgs(dealId, 1n);
    });

    it("refuses a result after the deadline (DeadlinePassed)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      const result = await teeResult(f, dealId, 0n);
      await pastDeadline(f, deal);
      await expect(f.continuum.pushResult(deal, result))
        .to.be.revertedWithCustomError(f.continuum, "DeadlinePassed")
        .withArgs(dealId, deal.deadline);
    });

    it("refuses an authorization not signed by the workerpool owner (InvalidAuthorization)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      const result = await teeResult(f, dealId, 0n, { authorizer: f.stranger });
      await expect(f.continuum.pushResult(deal, result))
        .to.be.revertedWithCustomError(f.continuum, "InvalidAuthorization")
        .withArgs(taskIdOf(dealId, 0n), f.poolOwner.address);
    });

    it("refuses an authorization for another task or another worker (InvalidAuthorization)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 2n);
      const forTaskOne = await teeResult(f, dealId, 1n);
      await expect(f.continuum.pushResult(deal, { ...forTaskOne, index: 0n })).to.be.revertedWithCustomError(
        f.continuum,
        "InvalidAuthorization",
      );
      const result = await teeResult(f, dealId, 0n);
      await expect(f.continuum.pushResult(deal, { ...result, worker: f.stranger.address })).to.be.revertedWithCustomError(
        f.continuum,
        "InvalidAuthorization",
      );
    });

    it("refuses a result not signed by the authorized enclave (InvalidEnclaveSignature)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      const other = Wallet.createRandom();
      const byOther = await teeResult(f, dealId, 0n, { enclave: other });
      const genuine = await teeResult(f, dealId, 0n);
      await expect(f.continuum.pushResult(deal, { ...genuine, enclaveSignature: byOther.enclaveSignature }))
        .to.be.revertedWithCustomError(f.continuum, "InvalidEnclaveSignature")
        .withArgs(taskIdOf(dealId, 0n), f.enclave.address);
      await expect(
        f.continuum.pushResult(deal, { ...genuine, resultCid: "bafyswapped" }),
      ).to.be.revertedWithCustomError(f.continuum, "InvalidEnclaveSignature");
    });

    it("refuses a TEE result without the SMS's attestation of its enclave (EnclaveNotAttested)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      await expect(f.continuum.pushResult(deal, await teeResult(f, dealId, 0n, { attester: null })))
        .to.be.revertedWithCustomError(f.continuum, "EnclaveNotAttested")
        .withArgs(taskIdOf(dealId, 0n), f.enclave.address);
    });

    it("refuses an attestation by another key, of another enclave or of another task (EnclaveNotAttested)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 2n);
      const taskId = taskIdOf(dealId, 0n);
      const genuine = await teeResult(f, dealId, 0n);
      const forgeries = [
        await signEnclaveAttested(f.poolOwner, f.domain, { taskId, enclave: f.enclave.address }),
        await signEnclaveAttested(SMS_KEY, f.domain, { taskId, enclave: Wallet.createRandom().address }),
        await signEnclaveAttested(SMS_KEY, f.domain, { taskId: taskIdOf(dealId, 1n), enclave: f.enclave.address }),
        "0x1234",
      ];
      for (const smsAttestation of forgeries) {
        await expect(by(f.continuum, f.poolOwner).pushResult(deal, { ...genuine, smsAttestation }))
          .to.be.revertedWithCustomError(f.continuum, "EnclaveNotAttested")
          .withArgs(taskId, f.enclave.address);
      }
    });

    it("a pool owner's freshly authorized, unattested enclave key is not paid", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      const rogue = Wallet.createRandom();
      const unattested = await teeResult(f, dealId, 0n, { enclave: rogue, attester: f.poolOwner });
      await expect(by(f.continuum, f.poolOwner).pushResult(deal, unattested)).to.be.revertedWithCustomError(
        f.continuum,
        "EnclaveNotAttested",
      );
      expect(await f.continuum.balanceOf(f.appOwner.address)).to.equal(0n);
    });

    it("stops accepting attestations of a rotated-out SMS key", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      const result = await teeResult(f, dealId, 0n);
      await f.continuum.setSmsSigner(Wallet.createRandom().address);
      await expect(f.continuum.pushResult(deal, result)).to.be.revertedWithCustomError(f.continuum, "EnclaveNotAttested");
    });

    it("while no SMS signer is registered, accepts a TEE result on the pool's and the enclave's signatures alone", async () => {
      const f = await loadProtocolWithoutSms();
      const { dealId, deal } = await teeDeal(f);
      await expect(f.continuum.pushResult(deal, await teeResult(f, dealId, 0n, { attester: null }))).to.emit(
        f.continuum,
        "ResultPushed",
      );
    });

    it("refuses a TEE result without enclave (EnclaveRequired)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      const result = await plainResult(f, dealId, 0n);
      await expect(by(f.continuum, f.worker).pushResult(deal, result))
        .to.be.revertedWithCustomError(f.continuum, "EnclaveRequired")
        .withArgs(taskIdOf(dealId, 0n));
    });

    it("accepts a non-TEE result with the workerpool's authorization alone, from the worker", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await plainDeal(f);
      await expect(by(f.continuum, f.worker).pushResult(deal, await plainResult(f, dealId, 0n))).to.emit(
        f.continuum,
        "ResultPushed",
      );
      expect(await f.continuum.balanceOf(f.appOwner.address)).to.equal(5n);
    });

    it("refuses an enclave or an SMS attestation on a non-TEE task (EnclaveNotAllowed)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await plainDeal(f);
      await expect(by(f.continuum, f.worker).pushResult(deal, await teeResult(f, dealId, 0n)))
        .to.be.revertedWithCustomError(f.continuum, "EnclaveNotAllowed")
        .withArgs(taskIdOf(dealId, 0n));
      const plain = await plainResult(f, dealId, 0n);
      const attested = await signEnclaveAttested(SMS_KEY, f.domain, { taskId: taskIdOf(dealId, 0n), enclave: ZeroAddress });
      await expect(by(f.continuum, f.worker).pushResult(deal, { ...plain, smsAttestation: attested }))
        .to.be.revertedWithCustomError(f.continuum, "EnclaveNotAllowed")
        .withArgs(taskIdOf(dealId, 0n));
    });

    it("refuses a non-TEE result pushed by a third party (UnauthorizedPusher)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await plainDeal(f);
      await expect(by(f.continuum, f.stranger).pushResult(deal, await plainResult(f, dealId, 0n)))
        .to.be.revertedWithCustomError(f.continuum, "UnauthorizedPusher")
        .withArgs(taskIdOf(dealId, 0n), f.stranger.address);
    });
  });

  describe("reputation from completions", () => {
    it("a completion paid by an independent requester lifts the pool's score", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      await expect(f.continuum.pushResult(deal, await teeResult(f, dealId, 0n)))
        .to.emit(f.continuum, "ReputationChanged")
        .withArgs(1n, 1n, 0n, 6666n);
    });

    it("a zero-priced completion pays its parties but leaves reputation unchanged", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 1n, { poolPrice: 0n });
      await expect(f.continuum.pushResult(deal, await teeResult(f, dealId, 0n))).to.not.emit(f.continuum, "ReputationChanged");
      expect(await f.continuum.balanceOf(f.appOwner.address)).to.equal(5n);
      expect(await f.continuum.reputationOf(1n)).to.deep.equal([0n, 0n, 5000n]);
    });

    it("a completion the pool owner requested itself leaves reputation unchanged", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 3n, { requester: f.poolOwner });
      const results = await Promise.all([0n, 1n, 2n].map((index) => teeResult(f, dealId, index)));
      await expect(f.continuum.pushResultBatch(deal, results)).to.not.emit(f.continuum, "ReputationChanged");
      expect(await f.continuum.reputationOf(1n)).to.deep.equal([0n, 0n, 5000n]);
    });

    it("a completion requested by the app owner (its own app, someone else's pool) counts", async () => {
      const f = await loadProtocol();
      await f.token.mint(f.appOwner.address, 1000n);
      await by(f.token, f.appOwner).approve(f.deployment.continuum, 1000n);
      await by(f.continuum, f.appOwner).deposit(1000n);
      const { dealId, deal } = await teeDeal(f, 1n, { requester: f.appOwner });
      await expect(f.continuum.pushResult(deal, await teeResult(f, dealId, 0n)))
        .to.emit(f.continuum, "ReputationChanged")
        .withArgs(1n, 1n, 0n, 6666n);
    });
  });

  describe("pushResultBatch", () => {
    it("settles many tasks in one transaction, beyond the inline 64 task flags", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 100n);
      const results = [];
      for (let i = 0n; i < 100n; i++) results.push(await teeResult(f, dealId, i));
      await f.continuum.pushResultBatch(deal, results.slice(0, 50));
      await f.continuum.pushResultBatch(deal, results.slice(50));
      expect(await f.continuum.balanceOf(f.appOwner.address)).to.equal(500n);
      expect(await f.continuum.balanceOf(f.datasetOwner.address)).to.equal(300n);
      expect(await f.continuum.lockedOf(f.requester.address)).to.equal(0n);
      expect(await f.continuum.lockedOf(f.poolOwner.address)).to.equal(0n);
      expect((await f.continuum.reputationOf(1n))[0]).to.equal(100n);
      for (const i of [0n, 63n, 64n, 99n]) expect(await f.continuum.isTaskFinalized(dealId, i)).to.equal(true);
    });

    it("refuses a batch naming one task twice (TaskAlreadyFinalized)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 100n);
      for (const index of [3n, 70n]) {
        const result = await teeResult(f, dealId, index);
        await expect(f.continuum.pushResultBatch(deal, [result, result]))
          .to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized")
          .withArgs(dealId, index);
      }
    });

    it("refuses an empty batch (EmptyBatch)", async () => {
      const f = await loadProtocol();
      const { deal } = await teeDeal(f);
      await expect(f.continuum.pushResultBatch(deal, [])).to.be.revertedWithCustomError(f.continuum, "EmptyBatch");
    });

    it("refuses the whole batch when one enclave is unattested (EnclaveNotAttested)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 3n);
      const results = [await teeResult(f, dealId, 0n), await teeResult(f, dealId, 1n, { attester: null })];
      await expect(f.continuum.pushResultBatch(deal, results))
        .to.be.revertedWithCustomError(f.continuum, "EnclaveNotAttested")
        .withArgs(taskIdOf(dealId, 1n), f.enclave.address);
      expect(await f.continuum.isTaskFinalized(dealId, 0n)).to.equal(false);
    });

    it("refuses the whole batch when one result is forged", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 3n);
      const results = [await teeResult(f, dealId, 0n), await teeResult(f, dealId, 1n, { authorizer: f.stranger })];
      await expect(f.continuum.pushResultBatch(deal, results)).to.be.revertedWithCustomError(
        f.continuum,
        "InvalidAuthorization",
      );
      expect(await f.continuum.isTaskFinalized(dealId, 0n)).to.equal(false);
    });
  });

  describe("claim", () => {
    it("refunds the requester, slashes the stake to it and lowers reputation after the deadline", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 3n);
      await f.continuum.pushResult(deal, await teeResult(f, dealId, 0n));
      await pastDeadline(f, deal);
      await expect(by(f.continuum, f.stranger).claim(deal, [1n, 2n]))
        .to.emit(f.continuum, "TaskClaimed")
        .withArgs(dealId, 1n, taskIdOf(dealId, 1n))
        .and.to.emit(f.continuum, "ReputationChanged")
        .withArgs(1n, 1n, 2n, 4000n);
      expect(await f.continuum.balanceOf(f.requester.address)).to.equal(FUNDS / 2n - 18n + 2n * 3n);
      expect(await f.continuum.lockedOf(f.requester.address)).to.equal(0n);
      expect(await f.continuum.balanceOf(f.poolOwner.address)).to.equal(FUNDS / 2n + 10n - 6n);
      expect(await f.continuum.lockedOf(f.poolOwner.address)).to.equal(0n);
      expect(await f.continuum.reputationOf(1n)).to.deep.equal([1n, 2n, 4000n]);
    });

    it("refuses a claim before the deadline (DeadlineNotReached)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      await expect(f.continuum.claim(deal, [0n]))
        .to.be.revertedWithCustomError(f.continuum, "DeadlineNotReached")
        .withArgs(dealId, deal.deadline);
    });

    it("refuses to claim a completed or already claimed task (TaskAlreadyFinalized)", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f, 2n);
      await f.continuum.pushResult(deal, await teeResult(f, dealId, 0n));
      await pastDeadline(f, deal);
      await expect(f.continuum.claim(deal, [0n])).to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized");
      await f.continuum.claim(deal, [1n]);
      await expect(f.continuum.claim(deal, [1n])).to.be.revertedWithCustomError(f.continuum, "TaskAlreadyFinalized");
    });

    it("refuses an empty claim, an unknown deal and an index out of range", async () => {
      const f = await loadProtocol();
      const { dealId, deal } = await teeDeal(f);
      await pastDeadline(f, deal);
      await expect(f.continuum.claim(deal, [])).to.be.revertedWithCustomError(f.continuum, "EmptyBatch");
      await expect(f.continuum.claim({ ...deal, requester: ZeroAddress }, [0n]))
        .to.be.revertedWithCustomError(f.continuum, "UnknownDeal")
        .withArgs(dealId);
      await expect(f.continuum.claim(deal, [5n]))
        .to.be.revertedWithCustomError(f.continuum, "TaskIndexOutOfRange")
        .withArgs(dealId, 5n, 1n);
    });
  });
});
