// What happens to tasks when workers ask, report and disappear: assignment to a capable worker,
// the workerpool owner's authorization of (worker, task, enclave), results checked against the
// enclave's signature, and reassignment after a failure or a lost worker while the deadline allows.
import { EventEmitter } from "node:events";
import { getAddress, verifyTypedData, type Signer, type TypedDataDomain } from "ethers";
import { readRequestParams } from "../../src/wire/requestParams.ts";
import { LedgerTerms } from "../intake/LedgerTerms.ts";
import type { DataSource } from "typeorm";
import type { Logger } from "../../src/core/logger.ts";
import { acceptsResultsAfter, RESULT_TYPES, signAuthorization, TAG_TEE } from "../../src/wire/eip712/index.ts";
import type { SchedulerDealRow, SchedulerTaskRow, SchedulerWorkerRow } from "../persistence/index.ts";
import { TaskRepository, WorkerRepository, type QueueSnapshot } from "../persistence/index.ts";
import { SchedulerError } from "../SchedulerError.ts";
import type { TaskState } from "./taskStates.ts";
import type { Assignment, FailureNotice, ResultReport } from "../../src/wire/workerApi/assignment.ts";
import { causeName, readFailureVerdict, type FailureVerdict } from "../../src/wire/smsApi/sessionVerdicts.ts";
import type { SmsVerdictChecks } from "./SmsVerdicts.ts";

export type { Assignment, FailureNotice, ResultReport };


export type TaskPolicy = {
  /** Attempts per task before it is failed (config scheduler.maxAttempts). */
  maxAttempts: number;
  /** A task is only (re)assigned while its deadline is at least this far away (config scheduler.deadlineMarginSeconds). */
  deadlineMarginSeconds: number;
};

const HELD: readonly TaskState[] = ["assigned", "running"];

/** Emits "result" whenever a result or a blamed failure is stored, so the pusher need not wait for its timer. */
export class TaskBoard extends EventEmitter<{ result: [taskId: string] }> {
  readonly #db: DataSource;
  readonly #owner: Signer;
  readonly #domain: TypedDataDomain;
  readonly #policy: TaskPolicy;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #verdicts: SmsVerdictChecks;

  constructor(options: {
    db: DataSource;
    owner: Signer;
    domain: TypedDataDomain;
    policy: TaskPolicy;
    /** Checks the SMS's verdicts that workers relay, against the contract's SMS signer. */
    verdicts: SmsVerdictChecks;
    logger: Logger;
    now?: () => number;
  }) {
    super();
    this.#db = options.db;
    this.#owner = options.owner;
    this.#domain = options.domain;
    this.#policy = options.policy;
    this.#logger = options.logger.child({ component: "task-board" });
    this.#now = options.now ?? Date.now;
    this.#verdicts = options.verdicts;
  }

  get #tasks(): TaskRepository {
    return new TaskRepository(this.#db);
  }

  /** The task this worker holds, or the next one it can run; undefined when there is none. */
  async nextTask(worker: SchedulerWorkerRow): Promise<Assignment | undefined> {
    const held = await this.#tasks.heldBy(worker.address);
    const task = held ?? (await this.#tasks.assignNext(worker, this.#nowSeconds(), this.#policy.deadlineMarginSeconds));
    if (!task) return undefined;
    if (!held) this.#logger.info({ taskId: task.taskId, worker: worker.address, attempt: task.attempt }, "task assigned");
    const assignment = assignmentOf(task, (await this.#tasks.deal(task.dealId))!);
    const stage = readRequestParams(assignment.params);
    if (!stage.ok || stage.pipeline === undefined) return assignment;
    // A pipeline stage reads its parents' outputs: their results are on-chain before its deal was made.
    return { ...assignment, stageOutputs: await new LedgerTerms(this.#db).stageOutputs(stage.pipeline.pipeline, assignment.deal.requester!) };
  }

  /** What waits and what runs, with deadline slack measured on the board's (the chain's) clock. */
  async queue(): Promise<QueueSnapshot> {
    return this.#tasks.queue(this.#nowSeconds());
  }

  /** Signs Authorization(worker, taskId, enclave) once per attempt; the same enclave gets the same answer. */
  async authorize(worker: string, taskId: string, enclave: string): Promise<{ authorization: string; enclave: string }> {
    const task = await this.#held(worker, taskId);
    const enclaveAddress = getAddress(enclave);
    if (task.authorization && task.enclave) {
      if (task.enclave !== enclaveAddress.toLowerCase()) {
        throw new SchedulerError("ENCLAVE_ALREADY_AUTHORIZED", "this attempt already authorized another enclave", { taskId });
      }
      return { authorization: task.authorization, enclave: enclaveAddress };
    }
    const authorization = await signAuthorization(this.#owner, this.#domain, {
      worker: getAddress(worker),
      taskId: task.taskId,
      enclave: enclaveAddress,
    });
    if (!(await this.#tasks.setAuthorization(task.taskId, task.attempt, enclaveAddress, authorization))) {
      // A concurrent request of the same attempt stored its enclave first: answer as for a repeat.
      return this.authorize(worker, taskId, enclave);
    }
    await this.#tasks.setAttemptEnclave(task.taskId, task.attempt, enclaveAddress);
    this.#logger.info({ taskId, worker, enclave: enclaveAddress }, "enclave authorized");
    return { authorization, enclave: enclaveAddress };
  }

  /** A worker's progress note; the first one moves an assigned task to running. */
  async progress(worker: string, taskId: string, note: string): Promise<SchedulerTaskRow> {
    const task = await this.#held(worker, taskId);
    if (task.state === "assigned") return this.#tasks.transition(task.taskId, "assigned", "running", { progress: note });
    await this.#tasks.setProgress(task.taskId, task.attempt, note);
    return { ...task, progress: note };
  }

  /** Stores a result whose enclave signature checks out for the authorized enclave. */
  async result(worker: string, taskId: string, report: ResultReport): Promise<SchedulerTaskRow> {
    const task = await this.#held(worker, taskId);
    const deal = (await this.#tasks.deal(task.dealId))!;
    const tee = (BigInt(deal.deal.tag!) & TAG_TEE) !== 0n;
    if (!task.authorization || !task.enclave || task.enclave !== report.enclave.toLowerCase()) {
      throw new SchedulerError("BAD_RESULT", "the result's enclave is not the one this attempt authorized", { taskId });
    }
    if (tee) {
      let signer: string | undefined;
      try {
        signer = verifyTypedData(
          this.#domain,
          RESULT_TYPES,
          { worker: getAddress(worker), taskId: task.taskId, resultDigest: report.resultDigest, resultCid: report.resultCid },
          report.enclaveSignature,
        );
      } catch {
        signer = undefined;
      }
      if (signer?.toLowerCase() !== task.enclave) {
        throw new SchedulerError("BAD_RESULT", "the enclave signature does not match the result", { taskId });
      }
      // The contract pays a TEE result only with the SMS's word that this enclave was attested.
      if (await this.#verdicts.requiresAttestation()) {
        if (!report.smsAttestation || !(await this.#verdicts.attests(task.taskId, task.enclave, report.smsAttestation))) {
          throw new SchedulerError("BAD_RESULT", "the result lacks the SMS's attestation of its enclave", { taskId });
        }
      }
    }
    const stored = await this.#tasks.transition(task.taskId, task.state, "result_uploaded", {
      resultDigest: report.resultDigest,
      resultCid: report.resultCid,
      enclaveSignature: report.enclaveSignature,
      smsAttestation: tee && report.smsAttestation ? report.smsAttestation.toLowerCase() : null,
    });
    await this.#tasks.endAttempt(task.taskId, task.attempt, "result", report.failureCode);
    this.#logger.info({ taskId, worker, resultCid: report.resultCid, failureCode: report.failureCode }, "result uploaded");
    this.emit("result", task.taskId);
    return stored;
  }

  /**
   * A worker gave up on its task. With the SMS's verdict blaming another party for this attempt
   * the task is failing: the pusher settles it on-chain and it is not tried again (the SMS would
   * refuse again). Otherwise it is reassigned while attempts and the deadline allow. A verdict that
   * does not check out is ignored, so a worker cannot spare its pool the work by inventing one.
   */
  async failure(worker: string, taskId: string, notice: FailureNotice): Promise<SchedulerTaskRow> {
    const task = await this.#held(worker, taskId);
    const verdict = readFailureVerdict(notice.verdict);
    if (verdict) {
      if (await this.#verdicts.blames(task.taskId, task.attempt, verdict)) return this.#blame(task, notice.code, verdict);
      this.#logger.warn({ taskId, worker, attempt: task.attempt }, "the failure's SMS verdict does not check out; treating it as the pool's failure");
    }
    return this.#release(task, "failed", notice.code);
  }

  async #blame(task: SchedulerTaskRow, code: string, verdict: FailureVerdict): Promise<SchedulerTaskRow> {
    await this.#tasks.endAttempt(task.taskId, task.attempt, "failed", code);
    const failing = await this.#tasks.transition(task.taskId, task.state, "failing", { failureVerdict: verdict, errorCode: code });
    this.#logger.warn({ taskId: task.taskId, code, attempt: task.attempt, blamed: causeName(verdict.cause) }, "task failed through another party; settling on-chain");
    this.emit("result", task.taskId);
    return failing;
  }

  /** Releases every task held by workers silent for longer than `silenceMs`; returns how many. */
  async releaseLostWorkers(silenceMs: number): Promise<number> {
    let released = 0;
    for (const worker of await new WorkerRepository(this.#db).silentSince(silenceMs)) {
      for (;;) {
        const task = await this.#tasks.heldBy(worker.address);
        if (!task) break;
        this.#logger.warn({ taskId: task.taskId, worker: worker.address }, "worker lost; releasing its task");
        await this.#release(task, "lost", "WORKER_LOST").catch((error) => {
          if (!(error instanceof SchedulerError && error.code === "TRANSITION_CONFLICT")) throw error;
        });
        released += 1;
      }
    }
    return released;
  }

  /** Fails waiting tasks whose deadline no longer leaves room for a run. */
  async expireWaiting(): Promise<number> {
    let expired = 0;
    for (const task of await this.#tasks.tasksInStates(["waiting"])) {
      const deal = (await this.#tasks.deal(task.dealId))!;
      if (this.#leavesRoomForRun(deal.deadline)) continue;
      await this.#tasks.transition(task.taskId, "waiting", "failed", { errorCode: "DEADLINE_TOO_CLOSE" }).then(
        () => (expired += 1),
        () => undefined,
      );
    }
    return expired;
  }

  /** Whether a run started now, lasting the margin, could still have its result accepted (the protocol's rule). */
  #leavesRoomForRun(deadline: number): boolean {
    return acceptsResultsAfter(this.#nowSeconds() + this.#policy.deadlineMarginSeconds, deadline);
  }

  async #release(task: SchedulerTaskRow, outcome: "failed" | "lost", code: string): Promise<SchedulerTaskRow> {
    await this.#tasks.endAttempt(task.taskId, task.attempt, outcome, code);
    const deal = (await this.#tasks.deal(task.dealId))!;
    const roomLeft = this.#leavesRoomForRun(deal.deadline);
    if (roomLeft && task.attempt < this.#policy.maxAttempts) {
      const released = await this.#tasks.transition(task.taskId, task.state, "waiting", {
        worker: null,
        enclave: null,
        authorization: null,
        errorCode: code,
      });
      this.#logger.info({ taskId: task.taskId, code, attempt: task.attempt }, "task back to waiting");
      return released;
    }
    this.#logger.warn({ taskId: task.taskId, code, attempt: task.attempt }, "task failed for good");
    return this.#tasks.transition(task.taskId, task.state, "failed", { errorCode: code });
  }

  async #held(worker: string, taskId: string): Promise<SchedulerTaskRow> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(taskId)) throw new SchedulerError("INVALID_REQUEST", "taskId must be a 32-byte hex string");
    const task = await this.#tasks.task(taskId);
    if (!task) throw new SchedulerError("TASK_NOT_FOUND", `no task ${taskId}`, { taskId });
    if (task.worker !== worker.toLowerCase() || !HELD.includes(task.state)) {
      throw new SchedulerError("NOT_ASSIGNED", "this task is not assigned to this worker", { taskId, state: task.state });
    }
    return task;
  }

  #nowSeconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}

export function assignmentOf(task: SchedulerTaskRow, deal: SchedulerDealRow): Assignment {
  return {
    taskId: task.taskId,
    dealId: task.dealId,
    taskIndex: String(task.taskIndex),
    attempt: task.attempt,
    dealBlock: deal.dealBlock,
    deal: deal.deal,
    params: deal.params,
    app: { bundleCid: deal.appCid, measurement: deal.appMeasurement, ...(deal.appChecksum === null ? {} : { checksum: deal.appChecksum }) },
    dataset: deal.datasetCid && deal.datasetChecksum ? { cid: deal.datasetCid, checksum: deal.datasetChecksum } : null,
    maxRunTimeSeconds: deal.maxRunTime,
    tee: deal.tee,
  };
}
