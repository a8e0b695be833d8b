// The worker's Prometheus metrics: tasks run, tasks failed (by the enclave runtime's code), and
// the time each task spends in each phase, the enclave's (bundle, attestation, secrets, app,
// seal) and the worker's own report to the scheduler.
import { Counter, Histogram, type Registry } from "prom-client";
import { createServiceRegistry } from "../src/http/metrics.ts";
import type { EnclavePhase } from "../enclave/index.ts";

export type WorkerPhase = EnclavePhase | "report";

/** Seconds; an app may run for the category's whole run time. */
const PHASE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

export type WorkerMetrics = {
  readonly registry: Registry;
  taskRun(): void;
  taskFailed(code: string): void;
  phase(phase: WorkerPhase, seconds: number): void;
};

export function createWorkerMetrics(): WorkerMetrics {
  const registry = createServiceRegistry("worker");
  const registers = [registry];
  const run = new Counter({ name: "continuum_worker_tasks_run_total", help: "Tasks this worker ran to an outcome (a result or a failure).", registers });
  const failed = new Counter({
    name: "continuum_worker_tasks_failed_total",
    help: "Tasks reported failed to the scheduler, by the enclave runtime's error code (an app's own failure, sealed as the task's result, is run, not failed).",
    labelNames: ["code"],
    registers,
  });
  const phases = new Histogram({
    name: "continuum_worker_phase_duration_seconds",
    help: "Time a task spent in each phase: bundle, attestation, secrets, app, seal, report.",
    labelNames: ["phase"],
    buckets: PHASE_BUCKETS,
    registers,
  });
  return {
    registry,
    taskRun: () => run.inc(),
    taskFailed: (code) => failed.inc({ code }),
    phase: (phase, seconds) => phases.observe({ phase }, seconds),
  };
}
