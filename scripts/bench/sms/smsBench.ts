// The SMS benchmark as one function: full session throughput against the Hardhat chain and the
// database (in process and over HTTP) beside the per-session crypto floor on one thread, the p99
// latency with many sessions in flight, and the adversarial catalog, judged against the targets.
// scripts/bench/sms.ts runs it at full size; a test runs it tiny.
import { startHarness } from "../../../test/integration/sms/smsHarness.ts";
import { seedSecrets } from "../../../test/integration/sms/attackCatalog.ts";
import { runAttackSuite, type AttackSuiteResult } from "./attackSuite.ts";
import { median, percentile } from "../statistics.ts";
import { releaseMeter } from "./releaseThroughput.ts";
import { cryptoFloorMeter, type CryptoFloorRound } from "./sessionCryptoFloor.ts";

export const SMS_TARGETS = { sessionsVsFloor: 0.5, secretsLeaked: 0, attacksTried: 12 } as const;

/**
 * Each round times, one right after the other, the crypto floor's operations, releases through
 * the session service in process (the figure judged) and releases over HTTP, so that each round's
 * ratio compares figures taken under the same load on a shared machine. Then one round with
 * `latencyConcurrency` sessions in flight gives the latency percentiles.
 */
export type SmsBenchOptions = {
  rounds: number;
  floorOperationsPerRound: number;
  sessionsPerRound: number;
  concurrency: number;
  latencyConcurrency: number;
  latencySessions: number;
};

export const FULL_SIZE: SmsBenchOptions = {
  rounds: 7,
  floorOperationsPerRound: 500,
  sessionsPerRound: 400,
  concurrency: 16,
  latencyConcurrency: 64,
  latencySessions: 1_000,
};

export type TargetCheck = { metric: string; value: number; target: string; pass: boolean };

export type SmsBenchResult = {
  /** Full sessions per second through the session service in process. */
  sessionsPerSec: number;
  /** The same sessions over loopback HTTP (keep-alive node:http client in the same process). */
  sessionsPerSecHttp: number;
  /** Sessions per second one thread could serve doing only the per-session crypto. */
  floorSessionsPerSec: number;
  /** The median of the rounds' ratios of sessions (in process) to the crypto floor. */
  sessionsVsFloor: number;
  /** Session latency percentiles in milliseconds, with `latencyConcurrency` sessions in flight. */
  latencyMs: { p50: number; p99: number; inFlight: number };
  attacksTried: number;
  secretsLeaked: number;
  targets: TargetCheck[];
  pass: boolean;
  details: {
    floorRounds: CryptoFloorRound[];
    sessionRounds: number[];
    sessionRoundsHttp: number[];
    /** Each round's sessions per second (in process) over its floor. */
    roundRatios: number[];
    secp256k1Backend: string;
    sessionConcurrency: number;
    sessions: number;
    attacks: AttackSuiteResult;
    node: string;
    measuredAt: string;
  };
};

export async function runSmsBench(options: SmsBenchOptions): Promise<SmsBenchResult> {
  const floor = await cryptoFloorMeter();
  const h = await startHarness();
  try {
    await seedSecrets(h);
    const sessions = { sessionsPerRound: options.sessionsPerRound, concurrency: options.concurrency };
    const inProcess = await releaseMeter(h, { ...sessions, path: "in-process session service" });
    const overHttp = await releaseMeter(h, { ...sessions, path: "HTTP POST /v1/sessions" });
    const latency = await releaseMeter(h, { sessionsPerRound: options.latencySessions, concurrency: options.latencyConcurrency, path: "in-process session service" });
    const floorRounds: CryptoFloorRound[] = [];
    const sessionRounds: number[] = [];
    const sessionRoundsHttp: number[] = [];
    let latenciesMs: number[];
    try {
      for (let round = 0; round < options.rounds; round++) {
        floorRounds.push(floor.round(options.floorOperationsPerRound));
        sessionRounds.push((await inProcess.round()).perSec);
        sessionRoundsHttp.push((await overHttp.round()).perSec);
      }
      latenciesMs = (await latency.round()).latenciesMs;
    } finally {
      overHttp.close();
      inProcess.close();
      latency.close();
    }
    const attacks = await runAttackSuite(h);
    const roundRatios = sessionRounds.map((perSec, round) => perSec / floorRounds[round]!.floorSessionsPerSec);
    const sessionsVsFloor = median(roundRatios);
    const secretsLeaked = attacks.secretsLeaked + attacks.secretsInLogs;
    const targets: TargetCheck[] = [
      { metric: "sessionsVsFloor", value: sessionsVsFloor, target: `>= ${SMS_TARGETS.sessionsVsFloor}`, pass: sessionsVsFloor >= SMS_TARGETS.sessionsVsFloor },
      { metric: "secretsLeaked", value: secretsLeaked, target: `= ${SMS_TARGETS.secretsLeaked}`, pass: secretsLeaked === SMS_TARGETS.secretsLeaked },
      { metric: "attacksTried", value: attacks.attacksTried, target: `>= ${SMS_TARGETS.attacksTried}`, pass: attacks.attacksTried >= SMS_TARGETS.attacksTried },
      {
        metric: "attacks refused as expected",
        value: attacks.refusedAsExpected,
        target: `= ${attacks.attacksTried}`,
        pass: attacks.refusedAsExpected === attacks.attacksTried,
      },
    ];
    return {
      sessionsPerSec: median(sessionRounds),
      sessionsPerSecHttp: median(sessionRoundsHttp),
      floorSessionsPerSec: median(floorRounds.map((round) => round.floorSessionsPerSec)),
      sessionsVsFloor,
      latencyMs: { p50: percentile(latenciesMs, 50), p99: percentile(latenciesMs, 99), inFlight: options.latencyConcurrency },
      attacksTried: attacks.attacksTried,
      secretsLeaked,
      targets,
      pass: targets.every((check) => check.pass),
      details: {
        floorRounds,
        sessionRounds,
        sessionRoundsHttp,
        roundRatios,
        secp256k1Backend: floor.secp256k1Backend,
        sessionConcurrency: options.concurrency,
        sessions: options.rounds * options.sessionsPerRound,
        attacks,
        node: process.version,
        measuredAt: new Date().toISOString(),
      },
    };
  } finally {
    await h.close();
  }
}

/** The printed table: each figure, its target where it has one, and a pass/fail mark. */
export function formatSmsBench(result: SmsBenchResult): string {
  const floor = (pick: (round: CryptoFloorRound) => number) => median(result.details.floorRounds.map(pick)).toFixed(0);
  const rows: [string, string, string, string][] = [
    ["sessionsPerSec", result.sessionsPerSec.toFixed(1), "in process", ""],
    ["sessionsPerSecHttp", result.sessionsPerSecHttp.toFixed(1), "over loopback HTTP", ""],
    ["floorSessionsPerSec", result.floorSessionsPerSec.toFixed(1), "per-session crypto, one thread", ""],
    ["dcapVerifyPerSec", floor((round) => round.dcapVerifyPerSec), "warm", ""],
    ["recoverPerSec", floor((round) => round.recoverPerSec), `libsecp256k1 ${result.details.secp256k1Backend}, 2 a session`, ""],
    ["sealAgreementsPerSec", floor((round) => round.sealAgreementsPerSec), "", ""],
    ["signPerSec", floor((round) => round.signPerSec), "", ""],
    ["latencyP50Ms", result.latencyMs.p50.toFixed(1), `${result.latencyMs.inFlight} in flight`, ""],
    ["latencyP99Ms", result.latencyMs.p99.toFixed(1), `${result.latencyMs.inFlight} in flight`, ""],
    ...result.targets.map((check): [string, string, string, string] => [
      check.metric,
      Number.isInteger(check.value) ? String(check.value) : check.value.toFixed(4),
      check.target,
      check.pass ? "✔ pass" : "✘ FAIL",
    ]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length), ["metric", "value", "target"][column].length));
  const line = (row: readonly string[]) => `${row[0].padEnd(widths[0])}  ${row[1].padStart(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`;
  return [line(["metric", "value", "target", ""]), ...rows.map(line)].join("\n");
}
