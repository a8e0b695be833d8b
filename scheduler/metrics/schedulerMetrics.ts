// The scheduler's Prometheus metrics: the queue (waiting tasks) per category, tasks per state,
// live workers busy and idle, all read from its database when scraped; and result pushes by
// kind and outcome, counted as they end (transactions, and the tasks they carried).
import { Counter, Gauge, type Registry } from "prom-client";
import type { DataSource } from "typeorm";
import { createServiceRegistry } from "../../src/http/metrics.ts";
import { TaskRepository, WorkerRepository } from "../persistence/index.ts";
import type { PushOutcome } from "../push/ResultPusher.ts";
import { TASK_STATES } from "../tasks/taskStates.ts";

export type SchedulerMetrics = {
  readonly registry: Registry;
  /** For ResultPusher's onPushed. */
  countPush(kind: "results" | "failures", outcome: PushOutcome, tasks: number): void;
};

/** `silenceMs`: a worker not heard from for this long is lost, neither busy nor idle. */
export function createSchedulerMetrics(db: DataSource, silenceMs: number): SchedulerMetrics {
  const registry = createServiceRegistry("scheduler");
  const registers = [registry];
  const tasks = new TaskRepository(db);
  const workers = new WorkerRepository(db);
  new Gauge({
    name: "continuum_scheduler_queue_depth",
    help: "Tasks waiting for a worker, by deal category id.",
    labelNames: ["category"],
    registers,
    async collect() {
      this.reset();
      for (const [category, count] of await tasks.waitingByCategory()) this.set({ category }, count);
    },
  });
  new Gauge({
    name: "continuum_scheduler_tasks",
    help: "Tasks of this workerpool by state.",
    labelNames: ["state"],
    registers,
    async collect() {
      const counts = await tasks.countByState();
      for (const state of TASK_STATES) this.set({ state }, counts.get(state) ?? 0);
    },
  });
  new Gauge({
    name: "continuum_scheduler_workers",
    help: "Live workers by status: busy (holding a task) or idle.",
    labelNames: ["status"],
    registers,
    async collect() {
      const { busy, idle } = await workers.busyAndIdle(silenceMs);
      this.set({ status: "busy" }, busy);
      this.set({ status: "idle" }, idle);
    },
  });
  const pushes = new Counter({
    name: "continuum_scheduler_result_pushes_total",
    help: "Push transactions by kind (results, failures) and outcome: confirmed, refused (not sent) or reverted.",
    labelNames: ["kind", "outcome"],
    registers,
  });
  const pushed = new Counter({
    name: "continuum_scheduler_results_pushed_total",
    help: "Tasks carried by push transactions, by kind (results, failures) and outcome.",
    labelNames: ["kind", "outcome"],
    registers,
  });
  return {
    registry,
    countPush(kind, outcome, count) {
      pushes.inc({ kind, outcome });
      pushed.inc({ kind, outcome }, count);
    },
  };
}
