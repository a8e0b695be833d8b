// Specification of the task board on a real PGlite database, with the chain's clock held still:
// who gets a task, the owner's authorization of (worker, task, enclave) once per attempt, results
// accepted only with the authorized enclave's signature, and what a failure or a lost worker leads
// to while attempts and the deadline allow.
import { expect } from "chai";
import { hexlify, randomBytes, Wallet, zeroPadValue, toBeHex, type HDNodeWallet } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import {
  continuumDomain,
  FAILURE_CAUSE,
  recoverAuthorizationSigner,
  signEnclaveAttested,
  signResult,
  signTaskFailure,
  TAG_TEE,
  taskIdOf,
  ZERO_BYTES32,
  type FailureCause,
} from "../../../src/wire/eip712/index.ts";
import type { FailureVerdict } from "../../../src/wire/smsApi/sessionVerdicts.ts";
import type { ResultReport } from "../../../src/wire/workerApi/assignment.ts";
import { schedulerDatabase, TaskRepository, WorkerRepository, type NewDeal } from "../../../scheduler/persistence/index.ts";
import { TaskBoard, type TaskPolicy } from "../../../scheduler/tasks/TaskBoard.ts";
import { SmsVerdicts } from "../../../scheduler/tasks/SmsVerdicts.ts";
import { SchedulerError, type SchedulerErrorCode } from "../../../scheduler/SchedulerError.ts";
import { rejectionOf } from "../../helpers/expectFailure.ts";

const expectRejection = (action: Promise<unknown>, code: SchedulerErrorCode) => rejectionOf(SchedulerError, action, code);

const NOW_SECONDS = 1_900_000_000;
const POLICY: TaskPolicy = { maxAttempts: 2, deadlineMarginSeconds: 20 };

describe("TaskBoard", function () {
  this.timeout(60_000);
  let dir: TemporaryDirectory;
  let db: DataSource;
  let tasks: TaskRepository;
  let workers: WorkerRepository;
  const owner = Wallet.createRandom();
  /** The SMS signer the contract names; undefined as before one is registered. */
  const sms = Wallet.createRandom();
  let smsSigner: string | undefined = sms.address;
  const domain = continuumDomain(31337n, Wallet.createRandom().address);
  /** The chain's clock as the board sees it, in milliseconds. */
  let nowMs = NOW_SECONDS * 1_000;

  before(async () => {
    dir = await createTemporaryDirectory("continuum-task-board-");
    db = await openDataSource({ pgliteDir: dir.path, ...schedulerDatabase, logger: silentLogger() });
    tasks = new TaskRepository(db);
    workers = new WorkerRepository(db);
  });

  beforeEach(async () => {
    // Each case starts from an empty board.
    await db.query("DELETE FROM scheduler_attempt");
    await db.query("DELETE FROM scheduler_task");
    await db.query("DELETE FROM scheduler_deal");
    await db.query("DELETE FROM scheduler_worker");
    nowMs = NOW_SECONDS * 1_000;
    smsSigner = sms.address;
  });

  after(async () => {
    await db?.destroy();
    await dir?.remove();
  });

  function board(policy: TaskPolicy = POLICY): TaskBoard {
    const verdicts = new SmsVerdicts({ domain, smsSigner: async () => smsSigner });
    return new TaskBoard({ db, owner, domain, policy, verdicts, logger: silentLogger(), now: () => nowMs });
  }

  /** A deal of `volume` tasks, due `deadlineIn` seconds from the board's now. */
  async function addDeal(options: { volume?: number; tee?: boolean; deadlineIn?: number } = {}): Promise<NewDeal> {
    const tee = options.tee ?? true;
    const dealId = hexlify(randomBytes(32));
    const volume = options.volume ?? 1;
    const deal: NewDeal = {
      dealId,
      workerpool: 1n,
      deal: { volume: String(volume), tag: tee ? zeroPadValue(toBeHex(TAG_TEE), 32) : ZERO_BYTES32 },
      params: "{}",
      dealBlock: 1,
      appCid: "bafyapp",
      appMeasurement: hexlify(randomBytes(32)),
      datasetCid: null,
      datasetChecksum: null,
      maxRunTime: 60,
      tee,
      deadline: NOW_SECONDS + (options.deadlineIn ?? 600),
      taskIds: Array.from({ length: volume }, (_, index) => taskIdOf(dealId, BigInt(index))),
    };
    await tasks.addDeal(deal);
    return deal;
  }

  async function registerWorker(tee = true) {
    const key = Wallet.createRandom();
    const row = await workers.register(key.address, { cpu: 2, memoryMb: 2048, tee, gpu: 0 });
    return { key, row };
  }

  async function signedResult(worker: string, taskId: string, enclave: HDNodeWallet): Promise<ResultReport> {
    const report = { resultDigest: hexlify(randomBytes(32)), resultCid: "bafyresult" };
    const enclaveSignature = await signResult(enclave, domain, { worker, taskId, ...report });
    const smsAttestation = await signEnclaveAttested(sms, domain, { taskId, enclave: enclave.address });
    return { ...report, enclave: enclave.address, enclaveSignature, smsAttestation };
  }

  async function verdict(taskId: string, attempt: number, cause: FailureCause = FAILURE_CAUSE.requester, signer = sms): Promise<FailureVerdict> {
    const signature = await signTaskFailure(signer, domain, { taskId, cause, attempt });
    return { cause, attempt, signature, signer: signer.address };
  }

  async function stateOf(taskId: string) {
    return (await tasks.task(taskId))!;
  }

  describe("assignment", () => {
    it("gives a TEE task only to a worker offering a TEE, and the same task again to the worker holding it", async () => {
      const deal = await addDeal({ tee: true });
      const plain = await registerWorker(false);
      const confidential = await registerWorker(true);
      expect(await board().nextTask(plain.row)).to.equal(undefined);
      const assigned = await board().nextTask(confidential.row);
      expect(assigned).to.deep.include({ taskId: deal.taskIds[0]!.toLowerCase(), dealId: deal.dealId.toLowerCase(), taskIndex: "0", attempt: 1, tee: true });
      expect(assigned!.app).to.deep.equal({ bundleCid: "bafyapp", measurement: deal.appMeasurement.toLowerCase() });
      expect(await board().nextTask(confidential.row), "the held task, not a second one").to.deep.equal(assigned);
      expect(await stateOf(assigned!.taskId)).to.include({ state: "assigned", worker: confidential.key.address.toLowerCase() });
    });

    it("gives a task without TEE to any worker, the deal with the nearest deadline first", async () => {
      await addDeal({ tee: false, deadlineIn: 900 });
      const urgent = await addDeal({ tee: false, deadlineIn: 300 });
      const { row } = await registerWorker(false);
      expect((await board().nextTask(row))!.dealId).to.equal(urgent.dealId.toLowerCase());
    });

    it("assigns no task whose deadline is within the margin, and fails such waiting tasks as DEADLINE_TOO_CLOSE", async () => {
      const close = await addDeal({ deadlineIn: POLICY.deadlineMarginSeconds });
      const { row } = await registerWorker();
      expect(await board().nextTask(row)).to.equal(undefined);
      expect(await board().expireWaiting()).to.equal(1);
      expect(await stateOf(close.taskIds[0]!)).to.include({ state: "failed", errorCode: "DEADLINE_TOO_CLOSE" });
    });
  });

  describe("authorization", () => {
    it("signs Authorization(worker, task, enclave) with the owner's key once per attempt", async () => {
      const deal = await addDeal();
      const { key, row } = await registerWorker();
      const { taskId } = (await board().nextTask(row))!;
      const enclave = Wallet.createRandom();
      const first = await board().authorize(key.address, taskId, enclave.address);
      expect(recoverAuthorizationSigner(domain, { worker: key.address, taskId, enclave: enclave.address }, first.authorization)).to.equal(owner.address);
      expect(await board().authorize(key.address, taskId, enclave.address.toLowerCase()), "the same enclave, the same answer").to.deep.equal(first);
      await expectRejection(board().authorize(key.address, taskId, Wallet.createRandom().address), "ENCLAVE_ALREADY_AUTHORIZED");
      const [attempt] = await tasks.attempts(deal.taskIds[0]!);
      expect(attempt!.enclave).to.equal(enclave.address.toLowerCase());
    });

    it("authorizes only the worker that holds the task", async () => {
      await addDeal();
      const holder = await registerWorker();
      const other = await registerWorker();
      const { taskId } = (await board().nextTask(holder.row))!;
      await expectRejection(board().authorize(other.key.address, taskId, Wallet.createRandom().address), "NOT_ASSIGNED");
      await expectRejection(board().authorize(holder.key.address, `0x${"00".repeat(32)}`, Wallet.createRandom().address), "TASK_NOT_FOUND");
      await expectRejection(board().authorize(holder.key.address, "0x1234", Wallet.createRandom().address), "INVALID_REQUEST");
    });

    it("lets the next attempt authorize a new enclave", async () => {
      const deal = await addDeal();
      const first = await registerWorker();
      const { taskId } = (await board().nextTask(first.row))!;
      await board().authorize(first.key.address, taskId, Wallet.createRandom().address);
      await board().failure(first.key.address, taskId, { code: "APP_FAILED" });
      const second = await registerWorker();
      expect((await board().nextTask(second.row))!.attempt).to.equal(2);
      const enclave = Wallet.createRandom();
      const { authorization } = await board().authorize(second.key.address, taskId, enclave.address);
      expect(recoverAuthorizationSigner(domain, { worker: second.key.address, taskId, enclave: enclave.address }, authorization)).to.equal(owner.address);
      expect((await tasks.attempts(deal.taskIds[0]!)).map((attempt) => [attempt.attempt, attempt.outcome])).to.deep.equal([[1, "failed"], [2, null]]);
    });
  });

  describe("results", () => {
    it("stores a result signed by the authorized enclave and tells the pusher", async () => {
      await addDeal();
      const { key, row } = await registerWorker();
      const { taskId } = (await board().nextTask(row))!;
      const enclave = Wallet.createRandom();
      await board().authorize(key.address, taskId, enclave.address);
      const taskBoard = board();
      const told: string[] = [];
      taskBoard.on("result", (id) => told.push(id));
      const report = await signedResult(key.address, taskId, enclave);
      const stored = await taskBoard.result(key.address, taskId, report);
      expect(stored).to.include({ state: "result_uploaded", resultCid: "bafyresult", resultDigest: report.resultDigest, enclaveSignature: report.enclaveSignature });
      expect(told).to.deep.equal([taskId]);
      expect((await tasks.attempts(taskId)).map((attempt) => attempt.outcome)).to.deep.equal(["result"]);
    });

    it("refuses a result of another enclave, a signature by another key or over other content, and one before any authorization", async () => {
      await addDeal();
      const { key, row } = await registerWorker();
      const { taskId } = (await board().nextTask(row))!;
      const unauthorized = await signedResult(key.address, taskId, Wallet.createRandom());
      await expectRejection(board().result(key.address, taskId, unauthorized), "BAD_RESULT");

      const enclave = Wallet.createRandom();
      await board().authorize(key.address, taskId, enclave.address);
      const otherEnclave = await signedResult(key.address, taskId, Wallet.createRandom());
      await expectRejection(board().result(key.address, taskId, otherEnclave), "BAD_RESULT");
      const forged = { ...(await signedResult(key.address, taskId, Wallet.createRandom())), enclave: enclave.address };
      await expectRejection(board().result(key.address, taskId, forged), "BAD_RESULT");
      const swapped = { ...(await signedResult(key.address, taskId, enclave)), resultCid: "bafyother" };
      await expectRejection(board().result(key.address, taskId, swapped), "BAD_RESULT");
      expect((await stateOf(taskId)).state, "still held").to.equal("assigned");
      expect((await board().result(key.address, taskId, await signedResult(key.address, taskId, enclave))).state).to.equal("result_uploaded");
    });

    it("refuses a TEE result without the SMS's attestation of its enclave while the contract names an SMS signer", async () => {
      await addDeal();
      const { key, row } = await registerWorker();
      const { taskId } = (await board().nextTask(row))!;
      const enclave = Wallet.createRandom();
      await board().authorize(key.address, taskId, enclave.address);
      const report = await signedResult(key.address, taskId, enclave);
      const { smsAttestation: _omitted, ...bare } = report;
      await expectRejection(board().result(key.address, taskId, bare), "BAD_RESULT");
      const byAnotherKey = await signEnclaveAttested(Wallet.createRandom(), domain, { taskId, enclave: enclave.address });
      await expectRejection(board().result(key.address, taskId, { ...report, smsAttestation: byAnotherKey }), "BAD_RESULT");
      const ofAnotherEnclave = await signEnclaveAttested(sms, domain, { taskId, enclave: Wallet.createRandom().address });
      await expectRejection(board().result(key.address, taskId, { ...report, smsAttestation: ofAnotherEnclave }), "BAD_RESULT");
      const stored = await board().result(key.address, taskId, report);
      expect(stored).to.include({ state: "result_uploaded", smsAttestation: report.smsAttestation!.toLowerCase() });

      smsSigner = undefined;
      await addDeal();
      const before = await registerWorker();
      const next = (await board().nextTask(before.row))!;
      await board().authorize(before.key.address, next.taskId, enclave.address);
      const { smsAttestation: _none, ...unattested } = await signedResult(before.key.address, next.taskId, enclave);
      expect((await board().result(before.key.address, next.taskId, unattested)).state, "no SMS signer, no attestation asked").to.equal("result_uploaded");
    });

    it("needs no enclave signature for a task without TEE, only the authorized enclave", async () => {
      await addDeal({ tee: false });
      const { key, row } = await registerWorker(false);
      const { taskId } = (await board().nextTask(row))!;
      const enclave = Wallet.createRandom();
      await board().authorize(key.address, taskId, enclave.address);
      const report = { enclave: enclave.address, enclaveSignature: "0x", resultDigest: hexlify(randomBytes(32)), resultCid: "bafyplain" };
      expect((await board().result(key.address, taskId, report)).state).to.equal("result_uploaded");
    });
  });

  describe("failures and lost workers", () => {
    it("puts a failed task back to waiting while attempts and the deadline allow, then fails it for good", async () => {
      const deal = await addDeal();
      const taskId = deal.taskIds[0]!.toLowerCase();
      const first = await registerWorker();
      await board().nextTask(first.row);
      expect(await board().failure(first.key.address, taskId, { code: "APP_FAILED" })).to.include({ state: "waiting", errorCode: "APP_FAILED", worker: null, authorization: null });
      const second = await registerWorker();
      await board().nextTask(second.row);
      expect(await board().failure(second.key.address, taskId, { code: "APP_FAILED" }), `after ${POLICY.maxAttempts} attempts`).to.include({ state: "failed", errorCode: "APP_FAILED" });
      expect(await board().nextTask((await registerWorker()).row)).to.equal(undefined);
    });

    it("holds a failure the SMS blamed on another party for settlement on-chain, never for another attempt", async () => {
      const deal = await addDeal();
      const taskId = deal.taskIds[0]!.toLowerCase();
      const { key, row } = await registerWorker();
      await board().nextTask(row);
      const taskBoard = board();
      const told: string[] = [];
      taskBoard.on("result", (id) => told.push(id));
      const blamed = await verdict(taskId, 1, FAILURE_CAUSE.datasetOwner);
      const failing = await taskBoard.failure(key.address, taskId, { code: "SMS_REFUSED", verdict: blamed });
      expect(failing).to.include({ state: "failing", errorCode: "SMS_REFUSED" });
      expect(failing.failureVerdict).to.deep.equal(blamed);
      expect(told, "the pusher is told").to.deep.equal([taskId]);
      expect(await board().nextTask((await registerWorker()).row), "not tried again").to.equal(undefined);
      expect((await tasks.attempts(taskId)).map((attempt) => [attempt.outcome, attempt.errorCode])).to.deep.equal([["failed", "SMS_REFUSED"]]);
    });

    it("treats a verdict that does not check out as the workerpool's own failure: another attempt, task, signer or no SMS signer", async () => {
      await addDeal({ volume: 3 });
      const forgeries: ((taskId: string) => Promise<FailureVerdict>)[] = [
        (taskId) => verdict(taskId, 2),
        () => verdict(hexlify(randomBytes(32)), 1),
        (taskId) => verdict(taskId, 1, FAILURE_CAUSE.requester, Wallet.createRandom()),
      ];
      for (const [index, forge] of forgeries.entries()) {
        const { key, row } = await registerWorker();
        const patient = board({ ...POLICY, maxAttempts: 10 });
        const { taskId } = (await patient.nextTask(row))!;
        const bad = await forge(taskId);
        expect(await patient.failure(key.address, taskId, { code: "SMS_REFUSED", verdict: bad }), `forged verdict ${index}`).to.include({ state: "waiting", failureVerdict: null });
      }
      smsSigner = undefined;
      const { key, row } = await registerWorker();
      const { taskId } = (await board({ ...POLICY, maxAttempts: 10 }).nextTask(row))!;
      expect(await board({ ...POLICY, maxAttempts: 10 }).failure(key.address, taskId, { code: "SMS_REFUSED", verdict: await verdict(taskId, 1) })).to.include({ state: "waiting" });
    });

    it("fails a task at once when its deadline no longer leaves the margin", async () => {
      const deal = await addDeal({ deadlineIn: 60 });
      const { key, row } = await registerWorker();
      await board().nextTask(row);
      nowMs += 45_000;
      expect(await board().failure(key.address, deal.taskIds[0]!, { code: "APP_FAILED" })).to.include({ state: "failed", errorCode: "APP_FAILED" });
    });

    it("releases the tasks of workers silent for longer than asked, and only theirs", async () => {
      await addDeal();
      await addDeal();
      const lost = await registerWorker();
      const live = await registerWorker();
      const lostTask = (await board().nextTask(lost.row))!.taskId;
      const liveTask = (await board().nextTask(live.row))!.taskId;
      await db.query(`UPDATE scheduler_worker SET last_heartbeat = now() - interval '1 hour' WHERE address = $1`, [lost.key.address.toLowerCase()]);
      expect(await board().releaseLostWorkers(60_000)).to.equal(1);
      expect(await stateOf(lostTask)).to.include({ state: "waiting", errorCode: "WORKER_LOST", worker: null });
      expect(await stateOf(liveTask)).to.include({ state: "assigned", worker: live.key.address.toLowerCase() });
      expect((await tasks.attempts(lostTask)).map((attempt) => attempt.outcome)).to.deep.equal(["lost"]);
      await expectRejection(board().progress(lost.key.address, lostTask, "still here"), "NOT_ASSIGNED");
    });

    it("moves an assigned task to running on its first progress note", async () => {
      const deal = await addDeal();
      const { key, row } = await registerWorker();
      await board().nextTask(row);
      expect(await board().progress(key.address, deal.taskIds[0]!, "fetching the dataset")).to.include({ state: "running", progress: "fetching the dataset" });
      expect(await board().progress(key.address, deal.taskIds[0]!, "running the app")).to.include({ state: "running", progress: "running the app" });
    });
  });
});
