// The pipeline benchmark: N three-stage district-air pipelines (clean-air and clean-traffic, then a
// join reading both) through a fresh devnet stack, each timed from submission to the join's result
// decrypted by the requester; beside it, in the same run, the same three tasks run as independent
// requests chained by hand: both cleaning requests, then the requester downloads and decrypts
// their results, carries them into a dataset of its own (encrypt, publish, register, push its key,
// sell it to the app at a token price of 0.000001) and requests the join on it.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { generateCityMobility } from "../../../examples/datasets/cityMobility.ts";
import { DISTRICT_AIR_APP, DISTRICT_AIR_STEPS } from "../../../src/demo/cityPipelineDemo.ts";
import { fanInPipeline, PIPELINE_PRICES, setUpPipelineMarket, submitPipelineDocument, type PipelineMarket } from "../../../src/demo/pipelineMarket.ts";
import type { PipelineStatusJson } from "../../../src/wire/marketApi/pipelineStatus.ts";
import { startTestDevnet } from "../../../test/helpers/testDevnet.ts";
import { percentile } from "../statistics.ts";

export type PipelineBenchOptions = {
  /** Pipelines to run (default 20). */
  pipelines: number;
  /** Hand-chained runs of the same three tasks (default 10). */
  handChained: number;
  /** Runs in flight at once (default 4). */
  concurrency: number;
  progress?: (line: string) => void;
};

export type RunOutcome = { ok: true; ms: number } | { ok: false; error: string };

export type LatencySummary = { runs: number; completed: number; lost: number; p50Ms: number | null; p95Ms: number | null; wallClockMs: number };

export type PipelineBenchResult = {
  pipelines: LatencySummary;
  handChained: LatencySummary;
  /** Pipeline p50 divided by hand-chained p50, both measured in this run. */
  overhead: number | null;
  stagesPerPipeline: 3;
  concurrency: number;
  failures: string[];
  machine: { cpus: number; loadAverage: number[]; node: string };
  startedAt: string;
};

const STEPS = DISTRICT_AIR_STEPS;
/** The requester sells its hand-carried dataset to the app at the smallest price the CLI takes (a price must be positive). */
const CARRIED_PRICE = "0.000001";

/** Runs `count` jobs with at most `concurrency` in flight; resolves to every outcome and the wall clock. */
async function pool(count: number, concurrency: number, job: (index: number) => Promise<void>): Promise<{ outcomes: RunOutcome[]; wallClockMs: number }> {
  const outcomes: RunOutcome[] = [];
  let next = 0;
  const started = Date.now();
  const lane = async () => {
    while (next < count) {
      const index = next++;
      const begun = Date.now();
      try {
        await job(index);
        outcomes.push({ ok: true, ms: Date.now() - begun });
      } catch (error) {
        outcomes.push({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { outcomes, wallClockMs: Date.now() - started };
}

export function summarize(outcomes: readonly RunOutcome[], wallClockMs: number): LatencySummary {
  const times = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.ms] : []));
  return {
    runs: outcomes.length,
    completed: times.length,
    lost: outcomes.length - times.length,
    p50Ms: times.length === 0 ? null : percentile(times, 50),
    p95Ms: times.length === 0 ? null : percentile(times, 95),
    wallClockMs,
  };
}

async function downloadResult(market: PipelineMarket, gatewayUrl: string, dealId: string, taskIndex: string, out: string): Promise<void> {
  await market.cli.json("healthDepartment", ["result", "download", dealId, taskIndex, "--result-key", market.resultKey, "--out", out, "--gateway", gatewayUrl]);
}

/** One pipeline: submitted, watched to its end, the join's result decrypted. */
async function runPipeline(market: PipelineMarket, gatewayUrl: string, index: number): Promise<void> {
  const submitted = await submitPipelineDocument(market, fanInPipeline(market, `bench pipeline ${index}`, STEPS), `pipeline-${index}.json`);
  const watched = (await market.cli.json("healthDepartment", ["pipeline", "watch", submitted.id, "--timeout", "15m", "--interval", "1s"])) as PipelineStatusJson;
  if (watched.state !== "completed") throw new Error(`pipeline ${index} ended ${watched.state}: ${watched.failure?.stage} ${watched.failure?.message}`);
  const final = watched.stages.find((stage) => stage.final)!;
  const out = join(market.workDir, `pipeline-${index}-result`);
  await downloadResult(market, gatewayUrl, final.dealId!, final.taskIndex!, out);
  await readFile(join(out, "districts.json"));
}

type Request = { app: string; dataset: string; datasetPrice: string; params: object };

async function requestAndDecrypt(market: PipelineMarket, gatewayUrl: string, request: Request, out: string): Promise<void> {
  const submitted = await market.cli.json("healthDepartment", [
    "request", "submit", "--app", request.app, "--app-max-price", PIPELINE_PRICES.app,
    "--dataset", request.dataset, "--dataset-max-price", request.datasetPrice,
    "--workerpool", market.workerpool.toString(), "--workerpool-max-price", PIPELINE_PRICES.workerpool, "--category", "1",
    "--volume", "1", "--result-key", market.resultKey, "--params", JSON.stringify(request.params),
  ]);
  const watched = await market.cli.json("healthDepartment", ["request", "watch", String(submitted.hash), "--timeout", "15m", "--interval", "1s"]);
  const deal = (watched.deals as { dealId: string; tasks?: { status: string; failure?: { code?: string } | null }[] }[] | undefined)?.[0];
  if (deal === undefined) throw new Error(`request ${submitted.hash} finished without a deal`);
  const task = deal.tasks?.[0];
  if (task?.status !== "completed") throw new Error(`request ${submitted.hash}'s task ended ${task?.status ?? "unknown"} (${task?.failure?.code ?? "no failure code"})`);
  await downloadResult(market, gatewayUrl, deal.dealId, "0", out);
}

/** A lock taken in turn: acquire() resolves to its release once every earlier holder released it. */
function turnLock(): { acquire(): Promise<() => void> } {
  let tail = Promise.resolve();
  return {
    acquire() {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const turn = tail.then(() => release);
      tail = tail.then(() => held);
      return turn;
    },
  };
}

const registrations = turnLock();

/** The same three tasks chained by hand: the requester carries the cleaned files into a dataset of its own. */
async function runHandChained(market: PipelineMarket, gatewayUrl: string, index: number): Promise<void> {
  const base = join(market.workDir, `hand-${index}`);
  const clean = (step: "clean-air" | "clean-traffic", dataset: string) =>
    requestAndDecrypt(market, gatewayUrl, { app: market.appId, dataset, datasetPrice: PIPELINE_PRICES.dataset, params: STEPS[step] }, join(base, step));
  await Promise.all([clean("clean-air", market.datasets.air!), clean("clean-traffic", market.datasets.traffic!)]);
  const carried = {
    "air.csv": await readFile(join(base, "clean-air", "air.csv"), "utf8"),
    "traffic.csv": await readFile(join(base, "clean-traffic", "traffic.csv"), "utf8"),
    cleaning: {
      "clean-air": JSON.parse(await readFile(join(base, "clean-air", "cleaning.json"), "utf8")),
      "clean-traffic": JSON.parse(await readFile(join(base, "clean-traffic", "cleaning.json"), "utf8")),
    },
  };
  const plain = join(base, "carried.json");
  await writeFile(plain, JSON.stringify(carried));
  const cli = market.cli;
  const sealed = await cli.json("healthDepartment", ["dataset", "encrypt", "--in", plain, "--out", join(base, "carried.enc"), "--key-out", join(base, "carried.key.json")]);
  const published = await cli.json("healthDepartment", ["dataset", "publish", join(base, "carried.enc")]);
  // One account sends the registrations: one at a time, or two would take the same nonce.
  const release = await registrations.acquire();
  let dataset: string;
  try {
    const registered = await cli.json("healthDepartment", ["dataset", "register", "--name", `hand-carried ${index}`, "--cid", String(published.cid), "--checksum", String(sealed.checksum)]);
    dataset = String(registered.id);
  } finally {
    release();
  }
  await cli.json("healthDepartment", ["dataset", "push-key", dataset, "--dataset-key", join(base, "carried.key.json")]);
  await cli.json("healthDepartment", ["dataset", "order", "publish", "--dataset", dataset, "--app", market.appId, "--price", CARRIED_PRICE, "--volume", "1"]);
  await requestAndDecrypt(market, gatewayUrl, { app: market.appId, dataset, datasetPrice: CARRIED_PRICE, params: STEPS.join }, join(base, "join"));
  await readFile(join(base, "join", "districts.json"));
}

export async function runPipelineBench(options: PipelineBenchOptions): Promise<PipelineBenchResult> {
  const say = options.progress ?? (() => undefined);
  const startedAt = new Date().toISOString();
  say("starting a fresh devnet stack ...");
  const stack = await startTestDevnet();
  try {
    const { devnet } = stack;
    const data = generateCityMobility({ seed: 2030 });
    const market = await setUpPipelineMarket(
      {
        dataDir: stack.dataDir,
        marketUrl: devnet.endpoints.marketUrl,
        smsUrl: devnet.endpoints.smsUrl,
        workDir: join(stack.dataDir, "bench-pipeline"),
        workerpool: devnet.compute!.workerpool,
        orderVolume: 10 * (options.pipelines + options.handChained),
        deposit: String(20 * (options.pipelines + options.handChained)),
        progress: say,
      },
      {
        appDir: DISTRICT_AIR_APP,
        appName: "district-air",
        datasets: {
          air: { name: "air quality sensor readings", owner: "environmentDepartment", content: data.airQualityCsv, file: "air-quality.csv" },
          traffic: { name: "traffic counts", owner: "mobilityDepartment", content: data.trafficCsv, file: "traffic-counts.csv" },
        },
      },
    );
    const gatewayUrl = devnet.endpoints.gatewayUrl;
    say(`${options.pipelines} pipelines, ${options.concurrency} at a time ...`);
    const pipelines = await pool(options.pipelines, options.concurrency, async (index) => {
      await runPipeline(market, gatewayUrl, index);
      say(`pipeline ${index + 1} completed`);
    });
    say(`${options.handChained} hand-chained runs of the same three tasks, ${options.concurrency} at a time ...`);
    const hand = await pool(options.handChained, options.concurrency, async (index) => {
      await runHandChained(market, gatewayUrl, index);
      say(`hand-chained run ${index + 1} completed`);
    });
    const pipelineSummary = summarize(pipelines.outcomes, pipelines.wallClockMs);
    const handSummary = summarize(hand.outcomes, hand.wallClockMs);
    const os = await import("node:os");
    return {
      pipelines: pipelineSummary,
      handChained: handSummary,
      overhead:
        pipelineSummary.p50Ms === null || handSummary.p50Ms === null ? null : Math.round((pipelineSummary.p50Ms / handSummary.p50Ms) * 1_000) / 1_000,
      stagesPerPipeline: 3,
      concurrency: options.concurrency,
      failures: [...pipelines.outcomes, ...hand.outcomes].flatMap((outcome) => (outcome.ok ? [] : [outcome.error])),
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100), node: process.version },
      startedAt,
    };
  } finally {
    await stack.close();
  }
}

export function formatPipelineBench(result: PipelineBenchResult): string {
  const seconds = (ms: number | null) => (ms === null ? "—" : `${(ms / 1_000).toFixed(1)} s`);
  const row = (name: string, summary: LatencySummary) =>
    `  ${name.padEnd(26)} ${`${summary.completed}/${summary.runs}`.padStart(7)} ${String(summary.lost).padStart(5)} ${seconds(summary.p50Ms).padStart(8)} ${seconds(summary.p95Ms).padStart(8)} ${seconds(summary.wallClockMs).padStart(9)}`;
  return [
    `bench:pipeline (three stages each, ${result.concurrency} at a time; load average ${result.machine.loadAverage.join(", ")} on ${result.machine.cpus} cpus)`,
    `  ${"".padEnd(26)} ${"done".padStart(7)} ${"lost".padStart(5)} ${"p50".padStart(8)} ${"p95".padStart(8)} ${"wall".padStart(9)}`,
    row("pipelines", result.pipelines),
    row("same tasks chained by hand", result.handChained),
    `  overhead (pipeline p50 / hand-chained p50): ${result.overhead ?? "—"}`,
    ...result.failures.map((failure) => `  failed: ${failure}`),
  ].join("\n");
}
