// The end-to-end benchmark: a fresh devnet stack (Hardhat node, market, SMS, Helia, the devnet
// workerpool's scheduler and two workers), the e-Health market set up through the CLI, then N
// confidential ward-stats tasks: requests of `tasksPerRequest` tasks submitted through the CLI,
// `concurrency` of them followed at once, each task timed from its request's acceptance by the
// market to its result decrypted by the beneficiary.
import { cpus } from "node:os";
import { join } from "node:path";
import { Contract, type EventLog } from "ethers";
import { loadArtifact } from "../../../src/chain/artifacts.ts";
import { loadResultKeyFile } from "../../../src/crypto/index.ts";
import { E_HEALTH_PRICES, prepareEHealthMarket, submitEHealthRequest } from "../../../src/demo/eHealthMarket.ts";
import { DEMO_PASSWORD } from "../../../src/demo/roleCli.ts";
import { startTestDevnet } from "../../../test/helpers/testDevnet.ts";
import { E2eBenchError, followRequest } from "./followRequest.ts";
import { summarizeE2e, type E2eBenchResult, type TaskOutcome } from "./e2eSummary.ts";

export type E2eBenchOptions = {
  tasks: number;
  /** Tasks per request (default 1: every task is its own request and deal). */
  tasksPerRequest?: number;
  /** Requests followed at once (default 4). */
  concurrency?: number;
  /** Give up on a request's unfinished tasks this long after it was submitted (default 5 minutes). */
  requestTimeoutMs?: number;
  progress?: (line: string) => void;
};

export async function runE2eBench(options: E2eBenchOptions): Promise<E2eBenchResult> {
  const perRequest = options.tasksPerRequest ?? 1;
  const concurrency = options.concurrency ?? 4;
  for (const [name, value] of Object.entries({ tasks: options.tasks, tasksPerRequest: perRequest, concurrency })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new E2eBenchError("INVALID_BENCH_OPTIONS", `${name} must be a whole number from 1`, { [name]: value });
  }
  const say = options.progress ?? (() => undefined);
  say("starting a fresh devnet stack ...");
  const stack = await startTestDevnet();
  try {
    const { devnet } = stack;
    say("setting up the e-Health market through the CLI ...");
    const pricePerTask = Object.values(E_HEALTH_PRICES).reduce((sum, price) => sum + Number(price), 0);
    const market = await prepareEHealthMarket({
      dataDir: stack.dataDir,
      marketUrl: devnet.endpoints.marketUrl,
      smsUrl: devnet.endpoints.smsUrl,
      workerpool: devnet.compute!.workerpool,
      workDir: join(stack.dataDir, "bench"),
      orderVolume: options.tasks,
      deposit: String(pricePerTask * options.tasks),
    });
    const { privateKey } = await loadResultKeyFile(market.resultKey, DEMO_PASSWORD);
    const sizes = requestSizes(options.tasks, perRequest);
    const outcomes: TaskOutcome[] = [];
    const submitMs: number[] = [];
    let next = 0;
    const startedAt = Date.now();
    say(`running ${options.tasks} tasks as ${sizes.length} request(s) of up to ${perRequest}, ${concurrency} at once ...`);
    const runner = async () => {
      while (next < sizes.length) {
        const volume = sizes[next++]!;
        const before = Date.now();
        const requestHash = await submitEHealthRequest(market, { volume });
        const submittedAt = Date.now();
        submitMs.push(submittedAt - before);
        const followed = await followRequest({
          marketUrl: devnet.endpoints.marketUrl,
          gatewayUrl: devnet.endpoints.gatewayUrl,
          requestHash,
          volume,
          resultPrivateKey: privateKey,
          submittedAt,
          giveUpAt: submittedAt + (options.requestTimeoutMs ?? 300_000),
        });
        outcomes.push(...followed);
        if (Math.floor(outcomes.length / 10) !== Math.floor((outcomes.length - followed.length) / 10)) {
          say(`${outcomes.filter((outcome) => outcome.status === "decrypted").length}/${options.tasks} tasks decrypted`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, sizes.length) }, runner));
    const endedAt = Date.now();
    privateKey.fill(0);
    return summarizeE2e({
      outcomes,
      startedAt,
      endedAt,
      requests: sizes.length,
      tasksPerRequest: perRequest,
      concurrency,
      workers: devnet.compute!.workers.length,
      pushSizes: await pushSizes(devnet.deployment.continuum, devnet.provider, outcomes),
      submitMs,
      machine: { cpus: cpus().length, node: process.version },
    });
  } finally {
    await stack.close();
  }
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

export function formatE2eBench(result: E2eBenchResult): string {
  const ms = (value: number | null) => (value === null ? "-" : `${value} ms`);
  return [
    `end-to-end benchmark: ${result.tasks} confidential ward-stats tasks, ${result.workers} workers, ${result.machine.cpus} CPUs`,
    `  requests          ${result.requests} of ${result.tasksPerRequest} task(s), ${result.concurrency} followed at once`,
    `  completed         ${result.completed}`,
    `  lost              ${result.lost}${result.lost > 0 ? ` ${JSON.stringify(result.lostByStatus)}` : ""}`,
    `  tasks per minute  ${result.tasksPerMinute}`,
    `  latency p50       ${ms(result.latencyP50Ms)}`,
    `  latency p95       ${ms(result.latencyP95Ms)}`,
    `  latency min/max   ${ms(result.latencyMinMs)} / ${ms(result.latencyMaxMs)}`,
    `  wall clock        ${(result.wallClockMs / 1000).toFixed(1)} s`,
    `  push batch sizes  ${JSON.stringify(result.pushBatchSizes)}`,
  ].join("\n");
}
