// Specification of the result pusher and of the reconciliation with the chain, on a real PGlite
// database and the in-process Hardhat chain: batches by size and by delay, refusals the contract
// gives, a node that cannot be reached, tasks settled on-chain by someone else, and failures the
// SMS blamed on another party carried on-chain by failTask.
import { expect } from "chai";
import { JsonRpcProvider, Network, Wallet, hexlify, parseEther, randomBytes, type Log } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { ChainIndexer } from "../../../src/indexer/index.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { FAILURE_CAUSE, TAG_TEE, taskIdOf, type Deal, type FailureCause, type TaskResult } from "../../../src/wire/eip712/index.ts";
import { dealToJson } from "../../../src/wire/workerApi/assignment.ts";
import { schedulerDatabase, TaskRepository } from "../../../scheduler/persistence/index.ts";
import { ResultPusher, type PushPolicy } from "../../../scheduler/push/ResultPusher.ts";
import { revisitPushes, settleFromLedger } from "../../../scheduler/push/reconcileWithChain.ts";
import {
  by,
  connection,
  defaultOrders,
  failureVerdict,
  loadProtocol,
  matchDeal,
  requestOrder,
  teeResult,
  type Fixture,
} from "../../helpers/protocolFixture.ts";
import { RpcProxy } from "../../helpers/rpcProxy.ts";

const PATIENT: PushPolicy = { batchSize: 10, batchDelayMs: 3_600_000 };

describe("ResultPusher", function () {
  this.timeout(120_000);
  let dir: TemporaryDirectory;
  let db: DataSource;
  let tasks: TaskRepository;
  let f: Fixture;

  before(async () => {
    dir = await createTemporaryDirectory("continuum-result-pusher-");
    db = await openDataSource({ pgliteDir: dir.path, ...schedulerDatabase, logger: silentLogger() });
    tasks = new TaskRepository(db);
  });

  beforeEach(async () => {
    // A fresh chain (the fixture's snapshot) and empty tables: the scheduler's index must match the chain.
    f = await loadProtocol();
    const tables = (await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'migrations'`)) as { tablename: string }[];
    await db.query(`TRUNCATE ${tables.map(({ tablename }) => `"${tablename}"`).join(", ")}`);
  });

  after(async () => {
    await db?.destroy();
    await dir?.remove();
  });

  /** A TEE deal of `volume` tasks matched on-chain and taken into the scheduler's database. */
  async function newDeal(volume: bigint): Promise<{ dealId: string; deal: Deal }> {
    const { dealId, deal } = await matchDeal(f, await defaultOrders(f, { request: await requestOrder(f, { volume }) }));
    await tasks.addDeal({
      dealId,
      workerpool: deal.workerpool,
      deal: dealToJson(deal),
      params: "{}",
      dealBlock: 1,
      appCid: "bafyapp",
      appMeasurement: hexlify(randomBytes(32)),
      datasetCid: null,
      datasetChecksum: null,
      maxRunTime: 100,
      tee: (BigInt(deal.tag) & TAG_TEE) !== 0n,
      deadline: Number(deal.deadline),
      taskIds: Array.from({ length: Number(volume) }, (_, index) => taskIdOf(dealId, BigInt(index))),
    });
    return { dealId, deal };
  }

  /** Task `index` with its worker's result uploaded, as the task board leaves it. */
  async function uploaded(dealId: string, index: number): Promise<TaskResult> {
    const result = await teeResult(f, dealId, BigInt(index));
    const taskId = taskIdOf(dealId, BigInt(index));
    await tasks.transition(taskId, "waiting", "assigned", { worker: result.worker, attempt: 1, enclave: result.enclave, authorization: result.authorization });
    await tasks.transition(taskId, "assigned", "result_uploaded", {
      resultDigest: result.resultDigest,
      resultCid: result.resultCid,
      enclaveSignature: result.enclaveSignature,
      smsAttestation: result.smsAttestation,
    });
    return result;
  }

  /** Task `index` failed in its first attempt with the SMS's verdict blaming `cause`, as the task board leaves it. */
  async function blamed(dealId: string, index: number, cause: FailureCause, attempt = 1): Promise<void> {
    const taskId = taskIdOf(dealId, BigInt(index));
    await tasks.transition(taskId, "waiting", "assigned", { worker: f.worker.address, attempt });
    const signature = await failureVerdict(f, dealId, BigInt(index), cause, f.sms, attempt);
    await tasks.transition(taskId, "assigned", "failing", {
      errorCode: "SMS_REFUSED",
      failureVerdict: { cause, attempt, signature, signer: f.sms.address },
    });
  }

  /** The TaskFailed logs of the deal as [index, cause, attempt], grouped by transaction. */
  async function failuresOnChain(dealId: string): Promise<[number, number, number][][]> {
    const logs = (await f.continuum.queryFilter(f.continuum.filters.TaskFailed(dealId))) as (Log & { args: { index: bigint; cause: bigint; attempt: bigint } })[];
    const byTx = new Map<string, [number, number, number][]>();
    for (const log of logs) {
      byTx.set(log.transactionHash, [...(byTx.get(log.transactionHash) ?? []), [Number(log.args.index), Number(log.args.cause), Number(log.args.attempt)]]);
    }
    return [...byTx.values()];
  }

  function pusher(policy: PushPolicy = PATIENT, owner = f.poolOwner): ResultPusher {
    return new ResultPusher({ db, owner, continuum: f.deployment.continuum, policy, logger: silentLogger() });
  }

  async function states(dealId: string): Promise<string[]> {
    return (await tasks.tasksOfDeal(dealId)).map((task) => task.state);
  }

  /** The ResultPushed logs of the deal, grouped by transaction: the batches as the chain saw them. */
  async function batchesOnChain(dealId: string): Promise<number[][]> {
    const logs = (await f.continuum.queryFilter(f.continuum.filters.ResultPushed(dealId))) as (Log & { args: { index: bigint } })[];
    const byTx = new Map<string, number[]>();
    for (const log of logs) byTx.set(log.transactionHash, [...(byTx.get(log.transactionHash) ?? []), Number(log.args.index)]);
    return [...byTx.values()];
  }

  describe("batching", () => {
    it("pushes as soon as a batch is full, in transactions of at most batchSize results", async () => {
      const { dealId } = await newDeal(5n);
      for (const index of [0, 1, 2]) await uploaded(dealId, index);
      await pusher({ batchSize: 2, batchDelayMs: 3_600_000 }).pushDue();
      expect(await batchesOnChain(dealId)).to.deep.equal([[0, 1], [2]]);
      expect(await states(dealId)).to.deep.equal(["completed", "completed", "completed", "waiting", "waiting"]);
      const pushTx = (await tasks.tasksOfDeal(dealId)).map((task) => task.pushTx);
      expect(pushTx[0]).to.equal(pushTx[1]);
      expect(pushTx[2]).to.not.equal(pushTx[0]);
    });

    it("lets a lone result wait for company until batchDelayMs has passed, or until forced", async () => {
      const { dealId } = await newDeal(3n);
      await uploaded(dealId, 0);
      await pusher().pushDue();
      expect(await states(dealId), "not due yet: two tasks still run").to.deep.equal(["result_uploaded", "waiting", "waiting"]);
      expect(await batchesOnChain(dealId)).to.deep.equal([]);
      await pusher({ batchSize: 10, batchDelayMs: 0 }).pushDue();
      expect(await batchesOnChain(dealId)).to.deep.equal([[0]]);

      await uploaded(dealId, 1);
      await pusher().pushDue(true);
      expect(await batchesOnChain(dealId)).to.deep.equal([[0], [1]]);
    });

    it("pushes the last results of a deal at once: nothing is left to wait for", async () => {
      const { dealId } = await newDeal(2n);
      await uploaded(dealId, 0);
      await uploaded(dealId, 1);
      await pusher().pushDue();
      expect(await batchesOnChain(dealId)).to.deep.equal([[0, 1]]);
      expect(await states(dealId)).to.deep.equal(["completed", "completed"]);
    });
  });

  describe("refusals and errors", () => {
    it("keeps the results of a push the node could not take, and pushes them once it answers", async () => {
      const proxy = new RpcProxy(connection.provider);
      await proxy.reservePort();
      // No request cache: ethers would otherwise replay the refused connection for 250 ms.
      const provider = new JsonRpcProvider(proxy.url, Network.from(BigInt(f.deployment.chainId)), { staticNetwork: true, cacheTimeout: -1 });
      try {
        const sender = new Wallet(Wallet.createRandom().privateKey, provider);
        await (await f.deployer.sendTransaction({ to: sender.address, value: parseEther("1") })).wait();
        const { dealId } = await newDeal(1n);
        await uploaded(dealId, 0);
        const unreachable = pusher(PATIENT, sender);
        await unreachable.pushDue();
        expect(await states(dealId), "ready to be pushed again").to.deep.equal(["result_uploaded"]);
        expect(await batchesOnChain(dealId)).to.deep.equal([]);

        await proxy.listen();
        await unreachable.pushDue();
        expect(await states(dealId)).to.deep.equal(["completed"]);
        expect(await batchesOnChain(dealId)).to.deep.equal([[0]]);
      } finally {
        provider.destroy();
        await proxy.close();
      }
    });

    it("fails the tasks of a push refused because the deadline passed", async () => {
      const { dealId, deal } = await newDeal(1n);
      await uploaded(dealId, 0);
      await connection.networkHelpers.time.increaseTo(deal.deadline + 1n);
      await pusher().pushDue();
      expect((await tasks.tasksOfDeal(dealId)).map((task) => [task.state, task.errorCode])).to.deep.equal([["failed", "DEADLINE_PASSED"]]);
    });

    it("leaves a task someone else already settled on-chain as pushed, and the ledger completes it", async () => {
      const { dealId, deal } = await newDeal(2n);
      const result = await uploaded(dealId, 0);
      await uploaded(dealId, 1);
      await (await by(f.continuum, f.stranger).pushResult(deal, result)).wait();
      await pusher({ batchSize: 1, batchDelayMs: 0 }).pushDue();
      expect(await states(dealId)).to.deep.equal(["pushed", "completed"]);

      await new ChainIndexer({ provider: f.ethers.provider, deployment: f.deployment, db, logger: silentLogger() }).catchUp();
      expect(await settleFromLedger(db, silentLogger())).to.equal(1);
      expect(await states(dealId)).to.deep.equal(["completed", "completed"]);
    });
  });

  describe("failures blamed on another party", () => {
    it("settles them with failTask, several of a deal in one failTaskBatch, beside the deal's results in one pass", async () => {
      const { dealId } = await newDeal(4n);
      await blamed(dealId, 0, FAILURE_CAUSE.requester);
      await uploaded(dealId, 1);
      await blamed(dealId, 2, FAILURE_CAUSE.appOwner, 1);
      await blamed(dealId, 3, FAILURE_CAUSE.requester);
      await pusher({ batchSize: 2, batchDelayMs: 0 }).pushDue();
      expect(await failuresOnChain(dealId)).to.deep.equal([[[0, 1, 1], [2, 3, 1]], [[3, 1, 1]]]);
      expect(await batchesOnChain(dealId)).to.deep.equal([[1]]);
      expect((await tasks.tasksOfDeal(dealId)).map((task) => [task.state, task.errorCode])).to.deep.equal([
        ["failed", "REQUESTER_CAUSED"],
        ["completed", null],
        ["failed", "APP_OWNER_CAUSED"],
        ["failed", "REQUESTER_CAUSED"],
      ]);
    });

    it("fails with DEADLINE_PASSED a failure whose deadline went by before it was pushed", async () => {
      const { dealId, deal } = await newDeal(1n);
      await blamed(dealId, 0, FAILURE_CAUSE.requester);
      await connection.networkHelpers.time.increaseTo(deal.deadline + 1n);
      await pusher({ batchSize: 10, batchDelayMs: 0 }).pushDue();
      expect((await tasks.tasksOfDeal(dealId)).map((task) => [task.state, task.errorCode])).to.deep.equal([["failed", "DEADLINE_PASSED"]]);
      expect(await failuresOnChain(dealId)).to.deep.equal([]);
    });

    it("after a restart, settles a failTask that was mined and sends again one that never landed", async () => {
      const { dealId, deal } = await newDeal(2n);
      await blamed(dealId, 0, FAILURE_CAUSE.requester);
      await blamed(dealId, 1, FAILURE_CAUSE.requester);
      const [first] = await tasks.tasksInStates(["failing"]);
      const signature = first!.failureVerdict!.signature;
      const receipt = await (await by(f.continuum, f.poolOwner).failTask(deal, { index: 0n, cause: FAILURE_CAUSE.requester, attempt: 1, smsSignature: signature })).wait();
      for (const [index, tx] of [[0, receipt.hash], [1, hexlify(randomBytes(32))]] as const) {
        const taskId = taskIdOf(dealId, BigInt(index));
        await tasks.transition(taskId, "failing", "failure_pushed");
        await tasks.annotatePush(taskId, tx);
      }
      expect(await revisitPushes(db, f.ethers.provider, silentLogger())).to.equal(1);
      expect(await states(dealId)).to.deep.equal(["failed", "failing"]);
      await pusher({ batchSize: 10, batchDelayMs: 0 }).pushDue();
      expect((await failuresOnChain(dealId)).flat().map(([index]) => index)).to.deep.equal([0, 1]);
      expect(await states(dealId)).to.deep.equal(["failed", "failed"]);
    });
  });

  describe("reconciliation with the chain", () => {
    it("after a restart, completes a push whose transaction was mined and pushes again one that never landed", async () => {
      const { dealId, deal } = await newDeal(2n);
      const mined = await uploaded(dealId, 0);
      await uploaded(dealId, 1);
      const receipt = await (await by(f.continuum, f.poolOwner).pushResult(deal, mined)).wait();
      // The state a stopped scheduler leaves: both marked pushed, one with a transaction the chain never saw.
      for (const [index, tx] of [[0, receipt.hash], [1, hexlify(randomBytes(32))]] as const) {
        const taskId = taskIdOf(dealId, BigInt(index));
        await tasks.transition(taskId, "result_uploaded", "pushed");
        await tasks.annotatePush(taskId, tx);
      }
      expect(await revisitPushes(db, f.ethers.provider, silentLogger())).to.equal(1);
      expect(await states(dealId)).to.deep.equal(["completed", "result_uploaded"]);
      await pusher().pushDue();
      expect(await batchesOnChain(dealId)).to.deep.equal([[0], [1]]);
    });

    it("settles from the ledger the tasks claimed on-chain after the deadline", async () => {
      const { dealId, deal } = await newDeal(2n);
      await uploaded(dealId, 0);
      await connection.networkHelpers.time.increaseTo(deal.deadline + 1n);
      await (await by(f.continuum, f.requester).claim(deal, [0n, 1n])).wait();
      await new ChainIndexer({ provider: f.ethers.provider, deployment: f.deployment, db, logger: silentLogger() }).catchUp();
      expect(await settleFromLedger(db, silentLogger())).to.equal(2);
      expect(await states(dealId)).to.deep.equal(["claimed", "claimed"]);
    });
  });
});
