// The market benchmark of issue 3 as one function: raw EIP-712 verification throughput, full
// intake throughput into the book table on the devnet, and match latency in a large open book,
// judged against the targets. scripts/bench/market.ts runs it at full size; a test runs it tiny.
import { cpus, loadavg } from "node:os";
import { deployMarketDevnet, DEFAULT_LAYOUT, type DevnetLayout } from "./marketDevnet.ts";
import { openBenchDatabase } from "./benchDatabase.ts";
import { signMarketOrders, type SignedSample } from "./ingestOrders.ts";
import { IngestMeter, type IngestResult } from "./ingestThroughput.ts";
import { measureMatchLatency } from "./matchLatency.ts";
import { SeededRandom } from "./seededRandom.ts";
import { SigVerifyMeter, summarizeSigVerify, type SigVerifyResult, type SigVerifyRound } from "./sigVerifyThroughput.ts";
import { median } from "../statistics.ts";

export const MARKET_TARGETS = { ingestRatio: 0.5, matchP99Ms: 20, openOrders: 100_000 } as const;

export type MarketBenchOptions = {
  verify: { rounds: number; signatures: number };
  ingest: { rounds: number; ordersPerRound: number; warmupOrders: number };
  match: { openOrders: number; lookups: number };
  /** A PostgreSQL server for the book; PGlite in a temporary directory when absent. */
  databaseUrl?: string;
  seed?: number;
  layout?: DevnetLayout;
};

export const FULL_SIZE: MarketBenchOptions = {
  verify: { rounds: 7, signatures: 2_000 },
  ingest: { rounds: 7, ordersPerRound: 2_000, warmupOrders: 512 },
  match: { openOrders: 100_000, lookups: 20_000 },
};

export type TargetCheck = { metric: string; value: number; target: string; pass: boolean };

export type MarketBenchResult = {
  sigVerifyPerSec: number;
  ingestPerSec: number;
  ingestRatio: number;
  openOrders: number;
  matchP50Ms: number;
  matchP99Ms: number;
  targets: TargetCheck[];
  pass: boolean;
  details: {
    sigVerify: { primitive: string; rounds: number[]; signaturesPerRound: number; recoverOnlyPerSec: number };
    ingest: { rounds: number[]; ordersPerRound: number; warmupOrders: number; storedOrders: number; database: "pglite" | "postgres" };
    match: { lookups: number; matchedShare: number; matchMaxMs: number; buildMs: number };
    node: string;
    /** Cores and the 1-minute load average at the end: figures from a busy machine read lower. */
    machine: { cpus: number; loadAverage1m: number };
    measuredAt: string;
  };
};

/**
 * Verification and ingest rounds alternate, so both see the same machine: on a shared host the
 * load moves, and measuring one after the other would bias the ratio.
 */
async function measureSideBySide(
  verifier: SigVerifyMeter,
  ingester: IngestMeter,
  plan: { verifyRounds: number; warmup: readonly SignedSample[]; rounds: readonly SignedSample[][] },
): Promise<{ verify: SigVerifyResult; ingest: IngestResult }> {
  verifier.round(); // untimed, like the ingest warm-up: the JIT settles as in a running service
  await ingester.warmUp(plan.warmup);
  const verifyRounds: SigVerifyRound[] = [];
  const ingestRounds: number[] = [];
  for (let i = 0; i < Math.max(plan.verifyRounds, plan.rounds.length); i++) {
    if (i < plan.verifyRounds) verifyRounds.push(verifier.round());
    if (i < plan.rounds.length) ingestRounds.push(await ingester.round(plan.rounds[i]!));
  }
  return {
    verify: summarizeSigVerify(verifyRounds, verifier.signaturesPerRound),
    ingest: {
      ingestPerSec: median(ingestRounds),
      rounds: ingestRounds,
      ordersPerRound: plan.rounds[0]?.length ?? 0,
      storedOrders: await ingester.storedOrders(),
    },
  };
}

export async function runMarketBench(options: MarketBenchOptions): Promise<MarketBenchResult> {
  const random = new SeededRandom(options.seed ?? 20_240_601);
  const devnet = await deployMarketDevnet(options.layout ?? DEFAULT_LAYOUT);
  // Every order is signed before anything is timed: signing is the clients' work, not the market's.
  const verifySamples = await signMarketOrders(devnet, random, options.verify.signatures);
  const warmup = await signMarketOrders(devnet, random, options.ingest.warmupOrders);
  const rounds: SignedSample[][] = [];
  for (let round = 0; round < options.ingest.rounds; round++) rounds.push(await signMarketOrders(devnet, random, options.ingest.ordersPerRound));

  const database = await openBenchDatabase(options.databaseUrl);
  let verify: SigVerifyResult;
  let ingest: IngestResult;
  try {
    const ingester = new IngestMeter(devnet, database);
    try {
      ({ verify, ingest } = await measureSideBySide(new SigVerifyMeter(verifySamples, devnet.domain), ingester, {
        verifyRounds: options.verify.rounds, warmup, rounds,
      }));
    } finally {
      await ingester.close();
    }
  } finally {
    await database.close();
  }
  const match = measureMatchLatency({ ...options.match, seed: random.int(1, 2 ** 31) });

  const ingestRatio = ingest.ingestPerSec / verify.sigVerifyPerSec;
  const targets: TargetCheck[] = [
    { metric: "ingestRatio", value: ingestRatio, target: `>= ${MARKET_TARGETS.ingestRatio}`, pass: ingestRatio >= MARKET_TARGETS.ingestRatio },
    { metric: "matchP99Ms", value: match.matchP99Ms, target: `<= ${MARKET_TARGETS.matchP99Ms}`, pass: match.matchP99Ms <= MARKET_TARGETS.matchP99Ms },
    { metric: "openOrders", value: match.openOrders, target: `>= ${MARKET_TARGETS.openOrders}`, pass: match.openOrders >= MARKET_TARGETS.openOrders },
  ];
  return {
    sigVerifyPerSec: verify.sigVerifyPerSec,
    ingestPerSec: ingest.ingestPerSec,
    ingestRatio,
    openOrders: match.openOrders,
    matchP50Ms: match.matchP50Ms,
    matchP99Ms: match.matchP99Ms,
    targets,
    pass: targets.every((check) => check.pass),
    details: {
      sigVerify: {
        primitive: "OrderDigester.digest + OrderDigester.recover (EIP-712 digest, then libsecp256k1 recovery), as in OrderIntake",
        rounds: verify.rounds,
        signaturesPerRound: verify.signaturesPerRound,
        recoverOnlyPerSec: verify.recoverOnlyPerSec,
      },
      ingest: {
        rounds: ingest.rounds,
        ordersPerRound: ingest.ordersPerRound,
        warmupOrders: options.ingest.warmupOrders,
        storedOrders: ingest.storedOrders,
        database: database.backend,
      },
      match: { lookups: match.lookups, matchedShare: match.matchedShare, matchMaxMs: match.matchMaxMs, buildMs: match.buildMs },
      node: process.version,
      machine: { cpus: cpus().length, loadAverage1m: loadavg()[0]! },
      measuredAt: new Date().toISOString(),
    },
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The figures and the targets as a readable table, with a pass / fail mark per target. */
export function formatMarketBench(result: MarketBenchResult): string {
  const lines = [
    `Continuum market benchmark (one process, Hardhat network, ${result.details.ingest.database}; ` +
      `${result.details.machine.cpus} cores, load ${round(result.details.machine.loadAverage1m, 1)})`,
    "",
    `  sigVerifyPerSec   ${round(result.sigVerifyPerSec, 0).toLocaleString("en")}   EIP-712 verifications/s, one core (recovery alone: ${round(result.details.sigVerify.recoverOnlyPerSec, 0).toLocaleString("en")}/s)`,
    `  ingestPerSec      ${round(result.ingestPerSec, 0).toLocaleString("en")}   orders/s accepted through OrderIntake.ingest into the book table`,
    `  ingestRatio       ${round(result.ingestRatio, 3)}`,
    `  openOrders        ${result.openOrders.toLocaleString("en")}   in the MatchingBook during the lookups`,
    `  matchP50Ms        ${round(result.matchP50Ms, 4)}`,
    `  matchP99Ms        ${round(result.matchP99Ms, 4)}   (max ${round(result.details.match.matchMaxMs, 3)} ms, ${round(result.details.match.matchedShare * 100, 1)}% of ${result.details.match.lookups.toLocaleString("en")} requests matched)`,
    "",
    "  targets",
    ...result.targets.map((check) => `  ${check.pass ? "PASS" : "FAIL"}  ${check.metric.padEnd(12)} ${String(round(check.value, 4)).padStart(10)}  target ${check.target}`),
  ];
  return lines.join("\n");
}
