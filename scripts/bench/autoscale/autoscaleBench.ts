// The autoscale benchmark: one stack (the in-process Hardhat chain, the real SMS over HTTP, Helia,
// PGlite, the workerpool's scheduler) and the same burst of confidential ward-stats tasks (one deal)
// three times: on a fixed fleet of `min` workers, on a fixed fleet of `max`, and on a fleet the
// autoscaler sizes from GET /v1/queue, which is then followed until it is back to `min`. Workers
// are child processes (`continuum worker start`, as `workerpool autoscale` runs them) or, with
// launcher "in-process", Workers in the benchmark's own process sharing its IPFS node.
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { generateResultKeyPair } from "../../../src/crypto/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";
import { createTemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { HttpSecretsClient, simulatedQuotingPlatform } from "../../../enclave/index.ts";
import { TaskRepository } from "../../../scheduler/persistence/index.ts";
import type { RunningScheduler } from "../../../scheduler/startScheduler.ts";
import { startWorker } from "../../../worker/index.ts";
import { Autoscaler, fetchQueue, processLauncher, WorkerFleet, type FleetMember, type LaunchWorker, type ScalePolicy } from "../../../worker/fleet/index.ts";
import { HONEST_PLATFORM } from "../../../test/helpers/devnetAttestation.ts";
import { loadProtocol } from "../../../test/helpers/protocolFixture.ts";
import { startHarness, type Harness } from "../../../test/integration/sms/smsHarness.ts";
import type { TimelinePoint } from "./autoscaleSvg.ts";
import { matchWardStatsDeal, sellWardStats, startPoolScheduler } from "../../../test/integration/scheduler/wardStatsPool.ts";

const FINAL = new Set(["completed", "failed", "claimed"]);

export type AutoscaleBenchOptions = {
  tasks: number;
  policy: ScalePolicy;
  intervalMs: number;
  /** How workers run: each its own process (default) or in the benchmark's process. */
  launcher?: FleetLauncher;
  progress?: (line: string) => void;
};

export type FleetLauncher = "process" | "in-process";

export type FleetRun = {
  fleet: string;
  workers: string;
  tasks: number;
  completed: number;
  /** Tasks that did not complete. */
  lost: number;
  /** Tasks that needed more than one attempt (a drained or lost worker's task run again). */
  rerun: number;
  /** Why earlier attempts of those tasks ended: error code (WORKER_LOST, …) and count. */
  rerunCauses: Record<string, number>;
  /** From the deal's match to its last task completed on-chain. */
  burstSeconds: number;
  tasksPerMinute: number;
};

export type AutoscaleBenchResult = {
  tasks: number;
  launcher: FleetLauncher;
  /** From launch to registered, over every worker the three runs started. */
  workerStartSeconds: { launches: number; median: number; max: number };
  /** Workers that stopped by themselves (and were replaced) over the three runs. */
  crashes: number;
  policy: ScalePolicy & { intervalMs: number };
  app: "ward-stats-node";
  autoscaled: FleetRun & {
    timeToFirstScaleUpSeconds: number | null;
    peakWorkers: number;
    /** From the burst's last task completed to the fleet back at min with no worker draining. */
    timeBackToMinSeconds: number | null;
    timeline: TimelinePoint[];
  };
  fixedMin: FleetRun;
  fixedMax: FleetRun;
  machine: { cpus: number; node: string };
};

export async function runAutoscaleBench(options: AutoscaleBenchOptions): Promise<AutoscaleBenchResult> {
  const say = options.progress ?? (() => undefined);
  say("starting the chain, the SMS, IPFS and the scheduler ...");
  const h = await startHarness({ minIsvSvn: 1, protocol: loadProtocol });
  const root = await createTemporaryDirectory("continuum-bench-autoscale-");
  const store = await HeliaContentStore.open({ directory: join(root.path, "ipfs") });
  let scheduler: RunningScheduler | undefined;
  try {
    await sellWardStats(h, store, 7);
    scheduler = await startPoolScheduler(h, root.path, { heartbeatIntervalMs: 1_000, missedHeartbeats: 5, batchSize: 10, batchDelayMs: 500, indexIntervalMs: 200, maxPollWaitMs: 1_000 });
    const running = scheduler;
    const launcher = options.launcher ?? "process";
    const launch = launcher === "process" ? await childProcesses(h, store, running, root.path) : inProcess(h, store, running, root.path);
    const starts: number[] = [];
    const fleets: WorkerFleet[] = [];
    const newFleet = () => {
      const fleet = new WorkerFleet({
        launch: async (index) => {
          const startedAt = performance.now();
          const member = await launch(index);
          starts.push((performance.now() - startedAt) / 1_000);
          return member;
        },
      });
      fleets.push(fleet);
      return fleet;
    };
    const burst = () => newDeal(h, BigInt(options.tasks));
    const { min, max } = options.policy;

    say(`warming up: one task on one worker ...`);
    await runFixed(running, newFleet(), 1, () => newDeal(h, 1n), 1);
    say(`fixed fleet of ${min}: a burst of ${options.tasks} tasks ...`);
    const fixedMin = await runFixed(running, newFleet(), min, burst, options.tasks);
    say(`  ${fixedMin.tasksPerMinute} tasks/min`);
    say(`fixed fleet of ${max}: the same burst ...`);
    const fixedMax = await runFixed(running, newFleet(), max, burst, options.tasks);
    say(`  ${fixedMax.tasksPerMinute} tasks/min`);
    say(`autoscaled fleet of ${min} to ${max}: the same burst, then quiet until it is back to ${min} ...`);
    const autoscaled = await runAutoscaled(running, newFleet(), options, burst);
    say(`  ${autoscaled.tasksPerMinute} tasks/min, peak ${autoscaled.peakWorkers} workers, back to ${min} after ${autoscaled.timeBackToMinSeconds} s`);
    const sorted = starts.toSorted((a, b) => a - b);
    return {
      tasks: options.tasks,
      launcher,
      workerStartSeconds: { launches: sorted.length, median: round(sorted[Math.floor(sorted.length / 2)] ?? 0), max: round(sorted.at(-1) ?? 0) },
      crashes: fleets.reduce((sum, fleet) => sum + fleet.crashes, 0),
      policy: { ...options.policy, intervalMs: options.intervalMs },
      app: "ward-stats-node",
      autoscaled,
      fixedMin,
      fixedMax,
      machine: { cpus: cpus().length, node: process.version },
    };
  } finally {
    await scheduler?.close();
    await store.stop();
    await h.close();
    await root.remove();
  }
}

/** Workers in this process, sharing the benchmark's IPFS node. */
function inProcess(h: Harness, store: HeliaContentStore, scheduler: RunningScheduler, root: string): LaunchWorker {
  let launched = 0;
  return async () => {
    const workDirectory = join(root, `work-${launched++}`);
    await mkdir(workDirectory, { recursive: true });
    return startWorker({
      schedulerUrl: scheduler.url,
      key: Wallet.createRandom(),
      capabilities: { cpu: 1, memoryMb: 1024, tee: true, gpu: 0 },
      store,
      platform: simulatedQuotingPlatform(h.platform, HONEST_PLATFORM),
      secrets: new HttpSecretsClient({ baseUrl: h.url }),
      workDirectory,
      pollWaitMs: 500,
    });
  };
}

/** Each worker a `continuum worker start` process, fetching from the benchmark's IPFS node. */
async function childProcesses(h: Harness, store: HeliaContentStore, scheduler: RunningScheduler, root: string): Promise<LaunchWorker<FleetMember>> {
  const attestation = join(root, "attestation.json");
  await writeFile(attestation, JSON.stringify({ kind: "simulated", devnetDirectory: h.attestation.dcap.directory, platform: HONEST_PLATFORM }));
  return processLauncher({
    schedulerUrl: scheduler.url,
    stateDir: join(root, "fleet"),
    globalArgs: ["--data-dir", join(root, "workers"), "--sms-url", h.url],
    workerArgs: ["--attestation", attestation, "--ipfs-peer", store.multiaddrs()[0]!, "--cpu", "1", "--memory-mb", "1024", "--log-level", "info"],
    // Only what the benchmark passes: no inherited Continuum, IPFS or database settings. Inputs are
    // a few kilobytes over loopback: a transfer still waiting after 30 s has stalled (bitswap has
    // been seen to), and fails its attempt instead of holding the burst for worker.fetchTimeoutMs.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(CONTINUUM_|IPFS_API_URL$|DATABASE_URL$)/.test(name))),
      CONTINUUM_WORKER_FETCH_TIMEOUT_MS: "30000",
    },
  });
}

const beneficiary = generateResultKeyPair();

function newDeal(h: Harness, volume: bigint): Promise<string> {
  return matchWardStatsDeal(h, volume, beneficiary.publicKey);
}

/** Waits for every task of the deal to be settled; returns when, with the outcome of each. */
async function settle(scheduler: RunningScheduler, dealId: string, tasks: number, onPoll?: () => Promise<void>) {
  const repository = new TaskRepository(scheduler.db);
  for (;;) {
    await onPoll?.();
    const rows = await repository.tasksOfDeal(dealId);
    if (rows.length === tasks && rows.every((row) => FINAL.has(row.state))) {
      const endedAt = Date.now();
      let rerun = 0;
      const rerunCauses: Record<string, number> = {};
      for (const row of rows) {
        const attempts = await repository.attempts(row.taskId);
        if (attempts.length < 2) continue;
        rerun += 1;
        for (const attempt of attempts.slice(0, -1)) {
          const cause = attempt.errorCode ?? attempt.outcome ?? "unknown";
          rerunCauses[cause] = (rerunCauses[cause] ?? 0) + 1;
        }
      }
      const completed = rows.filter((row) => row.state === "completed").length;
      return { endedAt, completed, rerun, rerunCauses };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function fleetRun(
  fleet: string,
  workers: string,
  tasks: number,
  startedAt: number,
  settled: { endedAt: number; completed: number; rerun: number; rerunCauses: Record<string, number> },
): FleetRun {
  const burstSeconds = (settled.endedAt - startedAt) / 1_000;
  return {
    fleet,
    workers,
    tasks,
    completed: settled.completed,
    lost: tasks - settled.completed,
    rerun: settled.rerun,
    rerunCauses: settled.rerunCauses,
    burstSeconds: round(burstSeconds),
    tasksPerMinute: round((settled.completed / burstSeconds) * 60),
  };
}

async function runFixed(scheduler: RunningScheduler, fleet: WorkerFleet, size: number, burst: () => Promise<string>, tasks: number): Promise<FleetRun> {
  await fleet.scaleTo(size);
  try {
    const startedAt = Date.now();
    const dealId = await burst();
    return fleetRun(`fixed`, String(size), tasks, startedAt, await settle(scheduler, dealId, tasks));
  } finally {
    await fleet.close();
  }
}

async function runAutoscaled(scheduler: RunningScheduler, fleet: WorkerFleet, options: AutoscaleBenchOptions, burst: () => Promise<string>) {
  const autoscaler = new Autoscaler({ fleet, policy: options.policy, intervalMs: options.intervalMs, readQueue: () => fetchQueue(scheduler.url) });
  const timeline: (TimelinePoint & { atMs: number })[] = [];
  let startedAt = 0;
  // The timeline is observed on its own, every interval: the queue as the scheduler reports it and
  // the workers taking tasks. (An autoscaler step that launches workers lasts as long as their start,
  // tens of seconds for worker processes on a loaded machine, so its own samples would leave gaps.)
  const observe = async () => {
    if (startedAt === 0) return;
    const queue = await fetchQueue(scheduler.url).catch(() => undefined);
    if (queue === undefined) return;
    const atMs = Date.now();
    timeline.push({ atMs, seconds: round((atMs - startedAt) / 1_000), workers: fleet.size, waiting: queue.waiting, running: queue.running });
  };
  let observing = Promise.resolve();
  const observer = setInterval(() => (observing = observing.then(observe)), options.intervalMs);
  try {
    await autoscaler.start();
    startedAt = Date.now();
    const dealId = await burst();
    const settled = await settle(scheduler, dealId, options.tasks);
    let backAt: number | null = null;
    const giveUpAt = Date.now() + options.policy.scaleDownWindowMs + 120_000;
    while (Date.now() < giveUpAt) {
      if (fleet.size === options.policy.min && fleet.draining === 0 && timeline.some((point) => point.atMs > settled.endedAt && point.workers === options.policy.min)) {
        backAt = timeline.find((point) => point.atMs > settled.endedAt && point.workers === options.policy.min)!.atMs;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const firstUp = timeline.find((point) => point.workers > options.policy.min);
    return {
      ...fleetRun("autoscaled", `${options.policy.min}..${options.policy.max}`, options.tasks, startedAt, settled),
      timeToFirstScaleUpSeconds: firstUp ? round((firstUp.atMs - startedAt) / 1_000) : null,
      peakWorkers: Math.max(...timeline.map((point) => point.workers)),
      timeBackToMinSeconds: backAt === null ? null : round((backAt - settled.endedAt) / 1_000),
      timeline: timeline.toSorted((a, b) => a.atMs - b.atMs).map(({ atMs: _atMs, ...point }) => point),
    };
  } finally {
    clearInterval(observer);
    await observing;
    await autoscaler.stop();
    await fleet.close();
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function formatAutoscaleBench(result: AutoscaleBenchResult): string {
  const rows = [result.fixedMin, result.fixedMax, result.autoscaled].map(
    (run) => `  ${`${run.fleet} ${run.workers}`.padEnd(16)} ${String(run.tasksPerMinute).padStart(7)} tasks/min  ${String(run.burstSeconds).padStart(6)} s  completed ${run.completed}/${run.tasks}, lost ${run.lost}, rerun ${run.rerun}`,
  );
  const a = result.autoscaled;
  return [
    `autoscale benchmark: a burst of ${result.tasks} confidential ward-stats tasks, ${result.machine.cpus} CPUs, workers ${result.launcher === "process" ? "in their own processes" : "in one process"}`,
    ...rows,
    `  a worker starts (launch to registered) in ${result.workerStartSeconds.median} s median, ${result.workerStartSeconds.max} s at most (${result.workerStartSeconds.launches} launches); ${result.crashes} crashed`,
    `  first scale-up after ${a.timeToFirstScaleUpSeconds} s, peak ${a.peakWorkers} workers, back to ${result.policy.min} ${a.timeBackToMinSeconds} s after the burst (window ${result.policy.scaleDownWindowMs / 1_000} s)`,
  ].join("\n");
}
