// Pushes uploaded results on-chain from the workerpool owner's wallet: several ready results of one
// deal go in one pushResultBatch once `batchSize` are ready or the oldest waited `batchDelayMs`, a
// lone one in pushResult. Failures the SMS blamed on another party go the same way, in failTask
// and failTaskBatch. Each task is marked pushed before its transaction is sent and only
// ever sent once per mark; nonces are counted locally so transactions queue without gaps.
import { Contract, type Signer } from "ethers";
import type { DataSource } from "typeorm";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import type { Logger } from "../../src/core/logger.ts";
import { NO_SMS_ATTESTATION, type Deal, type FailureReport, type TaskResult } from "../../src/wire/eip712/index.ts";
import { TaskRepository, type SchedulerTaskRow, type TaskPatch } from "../persistence/index.ts";
import { failureCodeOfCause } from "../../src/wire/marketApi/taskFailure.ts";
import type { TaskState } from "../tasks/taskStates.ts";
import { dealFromJson } from "../../src/wire/workerApi/assignment.ts";
import { SchedulerError } from "../SchedulerError.ts";

export type PushPolicy = {
  /** Largest batch (config scheduler.batchSize). */
  batchSize: number;
  /** How long a ready result may wait for company before it is pushed (config scheduler.batchDelayMs). */
  batchDelayMs: number;
};

export class ResultPusher {
  readonly #db: DataSource;
  readonly #owner: Signer;
  readonly #continuum: Contract;
  readonly #policy: PushPolicy;
  readonly #logger: Logger;
  #nonce: number | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(options: { db: DataSource; owner: Signer; continuum: string; policy: PushPolicy; logger: Logger }) {
    this.#db = options.db;
    this.#owner = options.owner;
    this.#continuum = new Contract(options.continuum, loadArtifact("Continuum").abi as never, options.owner);
    this.#policy = options.policy;
    this.#logger = options.logger.child({ component: "result-pusher" });
  }

  /** Pushes what is due now (everything when `force`); serialized, so no two passes overlap. */
  pushDue(force = false): Promise<void> {
    const pass = this.#running.then(() => this.#pass(force));
    this.#running = pass.catch((error) => this.#logger.warn({ err: error }, "push pass failed; retrying later"));
    return pass;
  }

  async #pass(force: boolean): Promise<void> {
    const tasks = new TaskRepository(this.#db);
    for (const kind of [RESULTS, FAILURES]) {
      const ready = await tasks.tasksInStates([kind.ready]);
      const byDeal = new Map<string, SchedulerTaskRow[]>();
      for (const task of ready) byDeal.set(task.dealId, [...(byDeal.get(task.dealId) ?? []), task]);
      for (const [dealId, group] of byDeal) {
        const unfinished = (await tasks.tasksOfDeal(dealId)).filter((task) => ["waiting", "assigned", "running"].includes(task.state));
        const oldest = Math.min(...group.map((task) => task.updatedAt.getTime()));
        const due = force || group.length >= this.#policy.batchSize || unfinished.length === 0 || Date.now() - oldest >= this.#policy.batchDelayMs;
        if (!due) continue;
        for (let start = 0; start < group.length; start += this.#policy.batchSize) {
          await this.#push(kind, tasks, dealId, group.slice(start, start + this.#policy.batchSize));
        }
      }
    }
  }

  async #push(kind: PushKind, tasks: TaskRepository, dealId: string, group: SchedulerTaskRow[]): Promise<void> {
    const marked: SchedulerTaskRow[] = [];
    for (const task of group) {
      try {
        marked.push(await tasks.transition(task.taskId, kind.ready, kind.sent));
      } catch (error) {
        if (!(error instanceof SchedulerError && error.code === "TRANSITION_CONFLICT")) throw error;
      }
    }
    if (marked.length === 0) return;
    const deal = dealFromJson((await tasks.deal(dealId))!.deal);
    const logger = this.#logger.child({ dealId, tasks: marked.map((task) => task.taskIndex), push: kind.name });
    let hash: string;
    let wait: () => Promise<{ status: number | null } | null>;
    try {
      const nonce = await this.#nextNonce();
      const tx = await kind.send(this.#continuum, deal, marked, nonce);
      this.#nonce = nonce + 1;
      hash = tx.hash;
      wait = () => tx.wait();
    } catch (error) {
      this.#nonce = undefined;
      const reason = revertName(this.#continuum, error);
      logger.warn({ reason, err: reason ? undefined : error }, "push transaction refused");
      // Not sent: nothing is on-chain for these tasks, so they may be pushed again, unless the
      // contract says they are already settled (the ledger reconciliation then completes them).
      for (const task of marked) {
        if (reason === "DeadlinePassed") await tasks.transition(task.taskId, kind.sent, "failed", { errorCode: "DEADLINE_PASSED" });
        else if (reason !== "TaskAlreadyFinalized") await tasks.transition(task.taskId, kind.sent, kind.ready);
      }
      return;
    }
    for (const task of marked) await tasks.annotatePush(task.taskId, hash);
    logger.info({ tx: hash, batch: marked.length }, `${kind.name} pushed`);
    try {
      const receipt = await wait();
      if (receipt?.status === 1) {
        for (const task of marked) await tasks.transition(task.taskId, kind.sent, kind.settled, kind.settledPatch(task));
        logger.info({ tx: hash }, `${kind.name} confirmed`);
      }
    } catch (error) {
      // A mined revert: the ledger reconciliation settles these tasks from chain events.
      logger.warn({ tx: hash, reason: revertName(this.#continuum, error) }, "push transaction reverted");
    }
  }

  async #nextNonce(): Promise<number> {
    this.#nonce ??= await this.#owner.getNonce("pending");
    return this.#nonce;
  }
}

type SentTransaction = { hash: string; wait(): Promise<{ status: number | null } | null> };

/** One kind of on-chain report: the states it moves tasks through and the transaction it sends. */
type PushKind = {
  name: "results" | "failures";
  ready: TaskState;
  sent: TaskState;
  settled: TaskState;
  settledPatch(task: SchedulerTaskRow): TaskPatch;
  send(continuum: Contract, deal: Deal, tasks: SchedulerTaskRow[], nonce: number): Promise<SentTransaction>;
};

const RESULTS: PushKind = {
  name: "results",
  ready: "result_uploaded",
  sent: "pushed",
  settled: "completed",
  settledPatch: () => ({}),
  send: (continuum, deal, tasks, nonce) => {
    const results = tasks.map(taskResultOf);
    return results.length === 1 ? continuum.pushResult(deal, results[0], { nonce }) : continuum.pushResultBatch(deal, results, { nonce });
  },
};

/** Failures the SMS blamed on another party: failTask carries its verdict, and the pool is paid. */
const FAILURES: PushKind = {
  name: "failures",
  ready: "failing",
  sent: "failure_pushed",
  settled: "failed",
  settledPatch: (task) => ({ errorCode: failureCodeOfCause(task.failureVerdict!.cause) }),
  send: (continuum, deal, tasks, nonce) => {
    const reports = tasks.map(failureReportOf);
    return reports.length === 1 ? continuum.failTask(deal, reports[0], { nonce }) : continuum.failTaskBatch(deal, reports, { nonce });
  },
};

export function failureReportOf(task: SchedulerTaskRow): FailureReport {
  const verdict = task.failureVerdict!;
  return { index: BigInt(task.taskIndex), cause: verdict.cause, attempt: verdict.attempt, smsSignature: verdict.signature };
}

export function taskResultOf(task: SchedulerTaskRow): TaskResult {
  return {
    index: BigInt(task.taskIndex),
    worker: task.worker!,
    enclave: task.enclave!,
    resultDigest: task.resultDigest!,
    resultCid: task.resultCid!,
    authorization: task.authorization!,
    enclaveSignature: task.enclaveSignature ?? "0x",
    smsAttestation: task.smsAttestation ?? NO_SMS_ATTESTATION,
  };
}

function revertName(contract: Contract, error: unknown): string | undefined {
  const data = (error as { data?: string; info?: { error?: { data?: string } } })?.data ?? (error as { info?: { error?: { data?: string } } })?.info?.error?.data;
  if (typeof data !== "string") return (error as { revert?: { name?: string } })?.revert?.name;
  try {
    return contract.interface.parseError(data)?.name;
  } catch {
    return undefined;
  }
}
