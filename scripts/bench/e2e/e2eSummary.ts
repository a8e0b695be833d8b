// The end-to-end benchmark's figures from what was observed of each task: completed and lost
// counts, throughput over the run's wall clock, latency percentiles (request submitted to result
// decrypted by the beneficiary), and the sizes of the result pushes seen on-chain.
import { percentile } from "../statistics.ts";

/** `decrypted`: the beneficiary decrypted the result; anything else counts as lost. */
export type TaskOutcomeStatus = "decrypted" | "claimed" | "failed" | "timeout";

export type TaskOutcome = {
  requestHash: string;
  dealId: string | null;
  index: number;
  status: TaskOutcomeStatus;
  /** ms since the epoch when the market accepted the request. */
  submittedAt: number;
  /** ms since the epoch when the result was decrypted, for decrypted tasks. */
  decryptedAt: number | null;
};

export type E2eBenchResult = {
  tasks: number;
  completed: number;
  lost: number;
  tasksPerMinute: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyMinMs: number | null;
  latencyMaxMs: number | null;
  /** From the first request submitted to the last result decrypted (or given up). */
  wallClockMs: number;
  requests: number;
  tasksPerRequest: number;
  /** Requests followed at once: a new one is submitted when one finishes. */
  concurrency: number;
  workers: number;
  /** Tasks per result-push transaction on-chain (size → transactions). */
  pushBatchSizes: Record<string, number>;
  lostByStatus: Partial<Record<Exclude<TaskOutcomeStatus, "decrypted">, number>>;
  /** Median time for the CLI to sign and post a request. */
  submitP50Ms: number | null;
  /** GET /v1/requests/{hash} made by the followers, and how many of them were polls (the live feed not connected). */
  statusReads: number;
  statusPolls: number;
  machine: { cpus: number; node: string; /** os.loadavg() when the run ended: 1, 5 and 15 minutes. */ loadAverage?: number[] };
  startedAt: string;
};

export type E2eRun = {
  outcomes: readonly TaskOutcome[];
  startedAt: number;
  endedAt: number;
  requests: number;
  tasksPerRequest: number;
  concurrency: number;
  workers: number;
  /** Tasks pushed in each result transaction. */
  pushSizes: readonly number[];
  submitMs: readonly number[];
  statusReads: number;
  statusPolls: number;
  machine: { cpus: number; node: string; /** os.loadavg() when the run ended: 1, 5 and 15 minutes. */ loadAverage?: number[] };
};

export function summarizeE2e(run: E2eRun): E2eBenchResult {
  const decrypted = run.outcomes.filter((outcome) => outcome.status === "decrypted");
  const latencies = decrypted.map((outcome) => outcome.decryptedAt! - outcome.submittedAt);
  const wallClockMs = run.endedAt - run.startedAt;
  const lostByStatus: E2eBenchResult["lostByStatus"] = {};
  for (const outcome of run.outcomes) {
    if (outcome.status !== "decrypted") lostByStatus[outcome.status] = (lostByStatus[outcome.status] ?? 0) + 1;
  }
  const pushBatchSizes: Record<string, number> = {};
  for (const size of run.pushSizes) pushBatchSizes[size] = (pushBatchSizes[size] ?? 0) + 1;
  const percentileOrNull = (values: readonly number[], p: number) => (values.length === 0 ? null : Math.round(percentile(values, p)));
  return {
    tasks: run.outcomes.length,
    completed: decrypted.length,
    lost: run.outcomes.length - decrypted.length,
    tasksPerMinute: wallClockMs > 0 ? Math.round((decrypted.length / (wallClockMs / 60_000)) * 100) / 100 : 0,
    latencyP50Ms: percentileOrNull(latencies, 50),
    latencyP95Ms: percentileOrNull(latencies, 95),
    latencyMinMs: latencies.length === 0 ? null : Math.min(...latencies),
    latencyMaxMs: latencies.length === 0 ? null : Math.max(...latencies),
    wallClockMs,
    requests: run.requests,
    tasksPerRequest: run.tasksPerRequest,
    concurrency: run.concurrency,
    workers: run.workers,
    pushBatchSizes,
    lostByStatus,
    submitP50Ms: percentileOrNull(run.submitMs, 50),
    statusReads: run.statusReads,
    statusPolls: run.statusPolls,
    machine: run.machine,
    startedAt: new Date(run.startedAt).toISOString(),
  };
}
