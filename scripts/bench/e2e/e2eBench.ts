// The end-to-end benchmark: a fresh stack (chain node, market, SMS, IPFS gateway, the workerpool's
// scheduler and two workers; the devnet in one process tree, or every service its own OS process
// on Hardhat or Anvil), the e-Health market set up through the CLI, then N confidential
// ward-stats tasks per runtime (the Python app, the Node one, or both one after the other on the
// same stack): requests of `tasksPerRequest` tasks submitted through the CLI, `concurrency` of
// them followed at once on the market's live feed, each task timed from its request's acceptance
// by the market to its result decrypted by the beneficiary.
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Contract, Wallet, type EventLog } from "ethers";
import { devnetPrivateKey } from "../../../src/devnet/devnetKeys.ts";
import { loadArtifact } from "../../../src/chain/artifacts.ts";
import { loadResultKeyFile } from "../../../src/crypto/index.ts";
import { E_HEALTH_PRICES, prepareEHealthMarket, submitEHealthRequest, type EHealthMarket } from "../../../src/demo/eHealthMarket.ts";
import { DEMO_PASSWORD, DEMO_ROLES } from "../../../src/demo/roleCli.ts";
import type { ChainNodeKind } from "../../../src/devnet/chainNode.ts";
import { startInProcessStack, type BenchStack } from "./benchStack.ts";
import { startProcessStack } from "./processStack.ts";
import { E2eBenchError, followRequest } from "./followRequest.ts";
import { summarizeE2e, type E2eBenchResult, type TaskOutcome } from "./e2eSummary.ts";

/** The ward-stats app of each runtime: the demo's (Python) and the Node original. */
export const BENCH_RUNTIMES = ["python", "node"] as const;
export type BenchRuntime = (typeof BENCH_RUNTIMES)[number];
const WARD_STATS_NODE = fileURLToPath(new URL("../../../examples/apps/ward-stats-node/", import.meta.url));

/** How the stack ran: its chain node, and whether each service was its own OS process. */
export type BenchSetup = { chain: ChainNodeKind; processes: boolean };

/** The figures of each runtime's tasks, the first runtime's also at the top level. */
export type E2eBenchReport = E2eBenchResult & {
  runtime: BenchRuntime;
  setup: BenchSetup;
  byRuntime: Partial<Record<BenchRuntime, E2eBenchResult>>;
};

export type E2eBenchOptions = {
  /** Tasks per runtime. */
  tasks: number;
  /** Runtimes whose ward-stats runs, in this order on the same stack (default: node). */
  runtimes?: readonly BenchRuntime[];
  /** Tasks per request (default 1: every task is its own request and deal). */
  tasksPerRequest?: number;
  /** Requests followed at once (default 4). */
  concurrency?: number;
  /** Give up on a request's unfinished tasks this long after it was submitted (default 5 minutes). */
  requestTimeoutMs?: number;
  /** The chain node (default hardhat). */
  chain?: ChainNodeKind;
  /** Every service as its own OS process, started by its CLI command (default: the devnet in one process tree). */
  processes?: boolean;
  /** false: the followers poll the request status instead of following the live feed. */
  useFeed?: boolean;
  progress?: (line: string) => void;
};

export async function runE2eBench(options: E2eBenchOptions): Promise<E2eBenchReport> {
  const perRequest = options.tasksPerRequest ?? 1;
  const concurrency = options.concurrency ?? 4;
  const runtimes = options.runtimes ?? ["node"];
  if (runtimes.length === 0 || runtimes.some((runtime) => !BENCH_RUNTIMES.includes(runtime))) {
    throw new E2eBenchError("INVALID_BENCH_OPTIONS", `runtimes must be among ${BENCH_RUNTIMES.join(", ")}`, { runtimes });
  }
  for (const [name, value] of Object.entries({ tasks: options.tasks, tasksPerRequest: perRequest, concurrency })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new E2eBenchError("INVALID_BENCH_OPTIONS", `${name} must be a whole number from 1`, { [name]: value });
  }
  const say = options.progress ?? (() => undefined);
  const setup: BenchSetup = { chain: options.chain ?? "hardhat", processes: options.processes ?? false };
  say(`starting a fresh stack: ${describeSetup(setup)} ...`);
  const stack = setup.processes ? await startProcessStack(setup.chain, say) : await startInProcessStack(setup.chain);
  try {
    say("setting up the e-Health market through the CLI ...");
    const pricePerTask = Object.values(E_HEALTH_PRICES).reduce((sum, price) => sum + Number(price), 0);
    const market = await prepareEHealthMarket({
      dataDir: stack.dataDir,
      marketUrl: stack.marketUrl,
      smsUrl: stack.smsUrl,
      workerpool: stack.workerpool,
      workDir: stack.workDir,
      orderVolume: options.tasks * runtimes.length,
      deposit: String(pricePerTask * options.tasks * runtimes.length),
    });
    // Every app is published before the compute starts: a separate gateway process serves the store the CLI wrote.
    const apps = new Map<BenchRuntime, string>();
    for (const runtime of runtimes) apps.set(runtime, runtime === "python" ? market.appId : await sellNodeApp(market, options.tasks));
    await stack.startCompute();
    const { privateKey } = await loadResultKeyFile(market.resultKey, DEMO_PASSWORD);
    const byRuntime: Partial<Record<BenchRuntime, E2eBenchResult>> = {};
    try {
      for (const runtime of runtimes) {
        const app = apps.get(runtime)!;
        say(`${runtime}: running ${options.tasks} tasks of app ${app} ...`);
        const run = await runTasks({ ...options, perRequest, concurrency, market, app, privateKey, stack, say });
        byRuntime[runtime] = summarizeE2e({
          ...run,
          tasksPerRequest: perRequest,
          concurrency,
          workers: stack.workers,
          pushSizes: await pushSizes(stack.deployment.continuum, stack.provider, run.outcomes),
          machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((load) => Math.round(load * 100) / 100) },
        });
      }
    } finally {
      privateKey.fill(0);
    }
    return { ...byRuntime[runtimes[0]!]!, runtime: runtimes[0]!, setup, byRuntime };
  } finally {
    await stack.close();
  }
}

export function describeSetup(setup: BenchSetup): string {
  return `${setup.chain === "anvil" ? "Anvil" : "Hardhat"}, ${setup.processes ? "each service its own process" : "in process"}`;
}

type TaskRun = {
  tasks: number;
  perRequest: number;
  concurrency: number;
  requestTimeoutMs?: number;
  market: EHealthMarket;
  app: string;
  privateKey: Uint8Array;
  stack: BenchStack;
  useFeed?: boolean;
  say: (line: string) => void;
};

/** Submits and follows `tasks` tasks of `app`, `concurrency` requests at once. */
async function runTasks(
  run: TaskRun,
): Promise<{ outcomes: TaskOutcome[]; startedAt: number; endedAt: number; requests: number; submitMs: number[]; statusReads: number; statusPolls: number }> {
  const sizes = requestSizes(run.tasks, run.perRequest);
  const outcomes: TaskOutcome[] = [];
  const submitMs: number[] = [];
  const reads = { statusReads: 0, statusPolls: 0 };
  let next = 0;
  const startedAt = Date.now();
  // The health department follows its own requests: its polls count against its account's allowance.
  const requester = new Wallet(devnetPrivateKey(DEMO_ROLES.healthDepartment));
  const runner = async () => {
    while (next < sizes.length) {
      const volume = sizes[next++]!;
      const before = Date.now();
      const requestHash = await submitEHealthRequest(run.market, { volume, app: run.app });
      const submittedAt = Date.now();
      submitMs.push(submittedAt - before);
      const followed = await followRequest({
        marketUrl: run.stack.marketUrl,
        gatewayUrl: run.stack.gatewayUrl(),
        useFeed: run.useFeed,
        requestHash,
        volume,
        resultPrivateKey: run.privateKey,
        submittedAt,
        giveUpAt: submittedAt + (run.requestTimeoutMs ?? 300_000),
        account: { signer: requester, market: { chainId: run.stack.deployment.chainId, continuum: run.stack.deployment.continuum } },
      });
      outcomes.push(...followed.outcomes);
      reads.statusReads += followed.reads;
      reads.statusPolls += followed.polls;
      if (Math.floor(outcomes.length / 10) !== Math.floor((outcomes.length - followed.outcomes.length) / 10)) {
        run.say(`${outcomes.filter((outcome) => outcome.status === "decrypted").length}/${run.tasks} tasks decrypted`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, sizes.length) }, runner));
  return { outcomes, startedAt, endedAt: Date.now(), requests: sizes.length, submitMs, ...reads };
}

/** Deploys ward-stats-node and offers it with the hospital's dataset, for the node runtime's tasks. */
async function sellNodeApp(market: EHealthMarket, tasks: number): Promise<string> {
  const deployed = await market.cli.json("appDeveloper", ["app", "deploy", WARD_STATS_NODE, "--name", "ward-stats-node"]);
  const app = String(deployed.id);
  const volume = String(tasks);
  await market.cli.json("appDeveloper", ["app", "order", "publish", "--app", app, "--price", E_HEALTH_PRICES.app, "--volume", volume]);
  await market.cli.json("hospital", [
    "dataset", "order", "publish", "--dataset", market.datasetId, "--app", app, "--price", E_HEALTH_PRICES.dataset, "--volume", volume,
  ]);
  return app;
}

/** `tasks` split into requests of `perRequest`, the last one smaller when it does not divide. */
export function requestSizes(tasks: number, perRequest: number): number[] {
  const sizes = Array.from({ length: Math.floor(tasks / perRequest) }, () => perRequest);
  if (tasks % perRequest !== 0) sizes.push(tasks % perRequest);
  return sizes;
}

/** How many of the run's results each push transaction carried, from ResultPushed events. */
async function pushSizes(address: string, provider: Contract["runner"], outcomes: readonly TaskOutcome[]): Promise<number[]> {
  const continuum = new Contract(address, loadArtifact("Continuum").abi as never, provider);
  const deals = new Set(outcomes.map((outcome) => outcome.dealId).filter((dealId): dealId is string => dealId !== null));
  const perTransaction = new Map<string, number>();
  for (const event of (await continuum.queryFilter(continuum.filters.ResultPushed!(), 0)) as EventLog[]) {
    if (!deals.has(String(event.args.dealId))) continue;
    perTransaction.set(event.transactionHash, (perTransaction.get(event.transactionHash) ?? 0) + 1);
  }
  return [...perTransaction.values()];
}

export function formatE2eBench(report: E2eBenchReport): string {
  return Object.entries(report.byRuntime)
    .map(([runtime, result]) => formatRuntime(runtime, result!))
    .join("\n\n");
}

function formatRuntime(runtime: string, result: E2eBenchResult): string {
  const ms = (value: number | null) => (value === null ? "-" : `${value} ms`);
  return [
    `end-to-end benchmark (${runtime}): ${result.tasks} confidential ward-stats tasks, ${result.workers} workers, ${result.machine.cpus} CPUs` +
      (result.machine.loadAverage ? `, load average ${result.machine.loadAverage.join(" ")} at the end` : ""),
    `  requests          ${result.requests} of ${result.tasksPerRequest} task(s), ${result.concurrency} followed at once`,
    `  completed         ${result.completed}`,
    `  lost              ${result.lost}${result.lost > 0 ? ` ${JSON.stringify(result.lostByStatus)}` : ""}`,
    `  tasks per minute  ${result.tasksPerMinute}`,
    `  latency p50       ${ms(result.latencyP50Ms)}`,
    `  latency p95       ${ms(result.latencyP95Ms)}`,
    `  latency min/max   ${ms(result.latencyMinMs)} / ${ms(result.latencyMaxMs)}`,
    `  wall clock        ${(result.wallClockMs / 1000).toFixed(1)} s`,
    `  push batch sizes  ${JSON.stringify(result.pushBatchSizes)}`,
    `  status reads      ${result.statusReads} (${result.statusPolls} of them polls, while the live feed was not connected)`,
  ].join("\n");
}
