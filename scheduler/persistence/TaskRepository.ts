// The only code reading and writing the scheduler's deals, tasks and attempts. Every state change
// is one conditional UPDATE naming the state it expects, so of two concurrent or duplicated
// transitions exactly one wins and the other gets TRANSITION_CONFLICT.
import type { EntityManager } from "typeorm";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";
import { runtimeOfMeasurement } from "../../src/apps/index.ts";
import type { RuntimeOffer } from "../../src/wire/workerApi/assignment.ts";
import { SchedulerError } from "../SchedulerError.ts";
import { assertTransition, type TaskState } from "../tasks/taskStates.ts";
import { PRIORITY_CLASSES, type PriorityClass } from "../../src/wire/requestParams.ts";
import { priorityRank } from "../tasks/queueOrder.ts";
import type { AttemptOutcome, SchedulerAttemptRow, SchedulerDealRow, SchedulerTaskRow } from "./schedulerEntities.ts";
import { attemptRowOf, dealRowOf, taskRowOf } from "./taskRows.ts";

/** Columns a transition may set along with the state. */
export type TaskPatch = Partial<
  Pick<
    SchedulerTaskRow,
    "worker" | "enclave" | "attempt" | "authorization" | "resultDigest" | "resultCid" | "enclaveSignature" | "smsAttestation" | "failureVerdict" | "pushTx" | "errorCode" | "progress"
  >
>;

const PATCH_COLUMNS: Record<keyof TaskPatch, string> = {
  worker: "worker",
  enclave: "enclave",
  attempt: "attempt",
  authorization: `"authorization"`,
  resultDigest: "result_digest",
  resultCid: "result_cid",
  enclaveSignature: "enclave_signature",
  smsAttestation: "sms_attestation",
  failureVerdict: "failure_verdict",
  pushTx: "push_tx",
  errorCode: "error_code",
  progress: "progress",
};

export type NewDeal = Omit<SchedulerDealRow, "createdAt" | "appChecksum" | "priority" | "requester"> & {
  appChecksum?: string | null;
  /** Default normal. */
  priority?: PriorityClass;
  /** Default the Deal struct's requester, when it has one. */
  requester?: string | null;
  taskIds: string[];
};

/** What the queue holds now, as GET /v1/queue reports it and the autoscaler reads it. */
export type QueueSnapshot = {
  /** Waiting tasks per category id (decimal). */
  waitingByCategory: Record<string, number>;
  /** Waiting tasks per priority class. */
  waitingByPriority: Record<PriorityClass, number>;
  waiting: number;
  /** Tasks assigned to or running on a worker. */
  running: number;
  /** The deadline slack of the task waiting longest, in seconds; null when none waits. */
  oldestWaitingSlackSeconds: number | null;
  /** The least deadline slack of any waiting task, in seconds; null when none waits. */
  leastWaitingSlackSeconds: number | null;
};

/** A task with the deal it belongs to, as assignment and pushing need them. */
export type TaskWithDeal = { task: SchedulerTaskRow; deal: SchedulerDealRow };

export class TaskRepository {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  /** Stores a deal and one waiting task per index; a deal seen again changes nothing. Returns the tasks created. */
  async addDeal(deal: NewDeal): Promise<number> {
    return this.#manager.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO scheduler_deal (deal_id, workerpool, deal, params, app_cid, app_measurement, dataset_cid,
           dataset_checksum, max_run_time, tee, deadline, deal_block, app_checksum, priority, requester)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) ON CONFLICT (deal_id) DO NOTHING`,
        [
          deal.dealId.toLowerCase(), deal.workerpool.toString(), JSON.stringify(deal.deal), deal.params, deal.appCid,
          deal.appMeasurement.toLowerCase(), deal.datasetCid, deal.datasetChecksum?.toLowerCase() ?? null,
          deal.maxRunTime, deal.tee, deal.deadline, deal.dealBlock, deal.appChecksum?.toLowerCase() ?? null,
          priorityRank(deal.priority ?? "normal"), (deal.requester === undefined ? deal.deal.requester : deal.requester)?.toLowerCase() ?? null,
        ],
      );
      // One statement for all the deal's tasks: a 10,000-task deal is taken in at once.
      const rows = await manager.query(
        `WITH created AS (
           INSERT INTO scheduler_task (task_id, deal_id, task_index, state)
           SELECT task_id, $2, ordinality - 1, 'waiting' FROM unnest($1::varchar[]) WITH ORDINALITY AS ids(task_id, ordinality)
           ON CONFLICT DO NOTHING RETURNING task_id)
         SELECT count(*) AS created FROM created`,
        [deal.taskIds.map((taskId) => taskId.toLowerCase()), deal.dealId.toLowerCase()],
      );
      return Number(rows[0].created);
    });
  }

  async hasDeal(dealId: string): Promise<boolean> {
    const rows = await this.#manager.query(`SELECT 1 FROM scheduler_deal WHERE deal_id = $1`, [dealId.toLowerCase()]);
    return rows.length > 0;
  }

  async task(taskId: string): Promise<SchedulerTaskRow | undefined> {
    const [row] = await this.#manager.query(`SELECT * FROM scheduler_task WHERE task_id = $1`, [taskId.toLowerCase()]);
    return row ? taskRowOf(row) : undefined;
  }

  async taskWithDeal(taskId: string): Promise<TaskWithDeal | undefined> {
    const task = await this.task(taskId);
    if (!task) return undefined;
    return { task, deal: (await this.deal(task.dealId))! };
  }

  async deal(dealId: string): Promise<SchedulerDealRow | undefined> {
    const [row] = await this.#manager.query(`SELECT * FROM scheduler_deal WHERE deal_id = $1`, [dealId.toLowerCase()]);
    return row ? dealRowOf(row) : undefined;
  }

  async tasksInStates(states: readonly TaskState[]): Promise<SchedulerTaskRow[]> {
    const rows = await this.#manager.query(
      `SELECT * FROM scheduler_task WHERE state = ANY($1) ORDER BY deal_id, task_index`,
      [states],
    );
    return rows.map(taskRowOf);
  }

  /** How many tasks are in each state (states without tasks are left out). */
  async countByState(): Promise<Map<TaskState, number>> {
    const rows: { state: TaskState; count: string }[] = await this.#manager.query(`SELECT state, count(*) AS count FROM scheduler_task GROUP BY state`);
    return new Map(rows.map((row) => [row.state, Number(row.count)]));
  }

  /** Waiting tasks per deal category (the queue a worker fleet drains), keyed by the category id. */
  async waitingByCategory(): Promise<Map<string, number>> {
    const rows: { category: string; count: string }[] = await this.#manager.query(
      `SELECT d.deal->>'category' AS category, count(*) AS count
         FROM scheduler_task t JOIN scheduler_deal d ON d.deal_id = t.deal_id
        WHERE t.state = 'waiting' GROUP BY 1`,
    );
    return new Map(rows.map((row) => [row.category, Number(row.count)]));
  }

  async tasksOfDeal(dealId: string): Promise<SchedulerTaskRow[]> {
    const rows = await this.#manager.query(`SELECT * FROM scheduler_task WHERE deal_id = $1 ORDER BY task_index`, [dealId.toLowerCase()]);
    return rows.map(taskRowOf);
  }

  /** The task a worker holds (assigned or running), if any. */
  async heldBy(worker: string): Promise<SchedulerTaskRow | undefined> {
    const [row] = await this.#manager.query(
      `SELECT * FROM scheduler_task WHERE worker = $1 AND state IN ('assigned','running') ORDER BY updated_at LIMIT 1`,
      [worker.toLowerCase()],
    );
    return row ? taskRowOf(row) : undefined;
  }

  /**
   * Moves a task from `from` to `to`, setting `patch`, only if it is still in `from`.
   * Throws INVALID_TRANSITION (not in the table), TASK_NOT_FOUND or TRANSITION_CONFLICT (lost a race).
   */
  async transition(taskId: string, from: TaskState, to: TaskState, patch: TaskPatch = {}): Promise<SchedulerTaskRow> {
    assertTransition(from, to);
    const values: unknown[] = [taskId.toLowerCase(), from, to];
    const sets = ["state = $3", "updated_at = now()"];
    for (const [key, value] of Object.entries(patch) as [keyof TaskPatch, unknown][]) {
      if (value === undefined) continue;
      values.push(typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value) ? value.toLowerCase() : value);
      sets.push(`${PATCH_COLUMNS[key]} = $${values.length}`);
    }
    // A CTE makes the driver return the updated rows whatever the command tag.
    const rows = await this.#manager.query(
      `WITH changed AS (UPDATE scheduler_task SET ${sets.join(", ")} WHERE task_id = $1 AND state = $2 RETURNING *)
       SELECT * FROM changed`,
      values,
    );
    if (rows.length === 1) return taskRowOf(rows[0]);
    const current = await this.task(taskId);
    if (!current) throw new SchedulerError("TASK_NOT_FOUND", `no task ${taskId}`, { taskId });
    throw new SchedulerError("TRANSITION_CONFLICT", `task ${taskId} is ${current.state}, not ${from}`, {
      taskId,
      expected: from,
      actual: current.state,
      to,
    });
  }

  /** Waiting tasks per category and class, held tasks, and the deadline slack of waiting tasks at `nowSeconds`. */
  async queue(nowSeconds: number): Promise<QueueSnapshot> {
    const groups: { category: string | null; priority: number; waiting: string }[] = await this.#manager.query(
      `SELECT d.deal->>'category' AS category, d.priority, count(*) AS waiting FROM scheduler_task t
       JOIN scheduler_deal d ON d.deal_id = t.deal_id WHERE t.state = 'waiting' GROUP BY 1, 2`,
    );
    const [held] = await this.#manager.query(`SELECT count(*) AS running FROM scheduler_task WHERE state IN ('assigned','running')`);
    const [slack] = await this.#manager.query(
      `SELECT min(d.deadline - d.max_run_time - $1) AS least,
         (SELECT d2.deadline - d2.max_run_time - $1 FROM scheduler_task t2 JOIN scheduler_deal d2 ON d2.deal_id = t2.deal_id
          WHERE t2.state = 'waiting' ORDER BY t2.updated_at, t2.task_id LIMIT 1) AS oldest
       FROM scheduler_task t JOIN scheduler_deal d ON d.deal_id = t.deal_id WHERE t.state = 'waiting'`,
      [nowSeconds],
    );
    const waitingByCategory: Record<string, number> = {};
    const waitingByPriority = Object.fromEntries(PRIORITY_CLASSES.map((name) => [name, 0])) as Record<PriorityClass, number>;
    let waiting = 0;
    for (const group of groups) {
      const count = Number(group.waiting);
      const category = group.category ?? "unknown";
      waitingByCategory[category] = (waitingByCategory[category] ?? 0) + count;
      waitingByPriority[PRIORITY_CLASSES[Number(group.priority)] ?? "normal"] += count;
      waiting += count;
    }
    const seconds = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      waitingByCategory,
      waitingByPriority,
      waiting,
      running: Number(held.running),
      oldestWaitingSlackSeconds: seconds(slack?.oldest),
      leastWaitingSlackSeconds: seconds(slack?.least),
    };
  }

  /**
   * Assigns the first waiting task in queue order (scheduler/tasks/queueOrder.ts: class, the
   * requester's held tasks, deadline slack) that this worker can run (TEE deals only to TEE workers, apps
   * only to a worker offering the runtime their measurement is for, deals whose deadline leaves
   * `marginSeconds`: `now + margin < deadline`, the protocol's rule of src/wire/eip712/deadline.ts
   * in SQL) and opens its attempt; undefined when none fits.
   */
  async assignNext(
    worker: { address: string; tee: boolean; runtimes?: readonly RuntimeOffer[] },
    nowSeconds: number,
    marginSeconds: number,
  ): Promise<SchedulerTaskRow | undefined> {
    for (;;) {
      const deals = await this.#manager.query(
        `SELECT d.deal_id, d.app_checksum, d.app_measurement FROM scheduler_deal d
         WHERE (NOT d.tee OR $1) AND d.deadline > $2
           AND EXISTS (SELECT 1 FROM scheduler_task t WHERE t.deal_id = d.deal_id AND t.state = 'waiting')`,
        [worker.tee, nowSeconds + marginSeconds],
      );
      const runnable = deals
        .filter((deal: { app_checksum: string | null; app_measurement: string }) =>
          runsOn(deal.app_checksum, deal.app_measurement, worker.runtimes ?? [{ runtime: "node" }]),
        )
        .map((deal: { deal_id: string }) => deal.deal_id);
      if (runnable.length === 0) return undefined;
      // A deal stored without a requester is a requester of its own.
      const [candidate] = await this.#manager.query(
        `WITH held AS (
           SELECT COALESCE(d.requester, d.deal_id) AS party, count(*) AS tasks FROM scheduler_task t
           JOIN scheduler_deal d ON d.deal_id = t.deal_id WHERE t.state IN ('assigned','running') GROUP BY 1)
         SELECT t.task_id, t.attempt FROM scheduler_task t JOIN scheduler_deal d ON d.deal_id = t.deal_id
         LEFT JOIN held h ON h.party = COALESCE(d.requester, d.deal_id)
         WHERE t.state = 'waiting' AND d.deal_id = ANY($1)
         ORDER BY d.priority, COALESCE(h.tasks, 0), d.deadline - d.max_run_time, t.deal_id, t.task_index LIMIT 1`,
        [runnable],
      );
      if (!candidate) return undefined;
      const attempt = Number(candidate.attempt) + 1;
      try {
        return await this.#manager.transaction(async (manager) => {
          const repository = new TaskRepository(manager);
          const task = await repository.transition(candidate.task_id, "waiting", "assigned", {
            worker: worker.address,
            attempt,
            enclave: null,
            authorization: null,
            errorCode: null,
            progress: null,
          });
          await manager.query(`INSERT INTO scheduler_attempt (task_id, attempt, worker) VALUES ($1,$2,$3)`, [
            task.taskId,
            attempt,
            worker.address.toLowerCase(),
          ]);
          return task;
        });
      } catch (error) {
        // Another assignment took this task between the read and the update: try the next one.
        if (error instanceof SchedulerError && error.code === "TRANSITION_CONFLICT") continue;
        throw error;
      }
    }
  }

  /** Stores the attempt's enclave and authorization once; false when the attempt already has one or moved on. */
  async setAuthorization(taskId: string, attempt: number, enclave: string, authorization: string): Promise<boolean> {
    const rows = await this.#manager.query(
      `WITH changed AS (UPDATE scheduler_task SET enclave = $3, "authorization" = $4, updated_at = now()
         WHERE task_id = $1 AND attempt = $2 AND state IN ('assigned','running') AND "authorization" IS NULL RETURNING task_id)
       SELECT * FROM changed`,
      [taskId.toLowerCase(), attempt, enclave.toLowerCase(), authorization],
    );
    return rows.length === 1;
  }

  /** Records the transaction that carries a pushed task's result or failure. */
  async annotatePush(taskId: string, txHash: string): Promise<void> {
    await this.#manager.query(`UPDATE scheduler_task SET push_tx = $2 WHERE task_id = $1 AND state IN ('pushed', 'failure_pushed')`, [taskId.toLowerCase(), txHash.toLowerCase()]);
  }

  /** Records a worker's latest progress note on a task it still holds. */
  async setProgress(taskId: string, attempt: number, note: string): Promise<void> {
    await this.#manager.query(
      `UPDATE scheduler_task SET progress = $3, updated_at = now() WHERE task_id = $1 AND attempt = $2 AND state IN ('assigned','running')`,
      [taskId.toLowerCase(), attempt, note],
    );
  }

  async setAttemptEnclave(taskId: string, attempt: number, enclave: string): Promise<void> {
    await this.#manager.query(`UPDATE scheduler_attempt SET enclave = $3 WHERE task_id = $1 AND attempt = $2`, [
      taskId.toLowerCase(),
      attempt,
      enclave.toLowerCase(),
    ]);
  }

  /** Closes an attempt once; a closed attempt keeps its first outcome. */
  async endAttempt(taskId: string, attempt: number, outcome: AttemptOutcome, errorCode?: string): Promise<void> {
    await this.#manager.query(
      `UPDATE scheduler_attempt SET ended_at = now(), outcome = $3, error_code = $4
       WHERE task_id = $1 AND attempt = $2 AND ended_at IS NULL`,
      [taskId.toLowerCase(), attempt, outcome, errorCode ?? null],
    );
  }

  async attempts(taskId: string): Promise<SchedulerAttemptRow[]> {
    const rows = await this.#manager.query(`SELECT * FROM scheduler_attempt WHERE task_id = $1 ORDER BY attempt`, [taskId.toLowerCase()]);
    return rows.map(attemptRowOf);
  }
}

/** Whether an app (checksum, measurement) runs under one of `runtimes`; deals without a checksum predate the check. */
function runsOn(checksum: string | null, measurement: string, runtimes: readonly RuntimeOffer[]): boolean {
  return checksum === null || runtimeOfMeasurement(measurement, checksum, runtimes) !== undefined;
}
