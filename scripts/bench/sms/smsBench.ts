// The SMS benchmark as one function: raw quote verification throughput, full session throughput
// against the Hardhat chain and the database, and the adversarial catalog, judged against the
// targets of issue 4. scripts/bench/sms.ts runs it at full size; a test runs it tiny.
import { startHarness } from "../../../test/integration/sms/smsHarness.ts";
import { seedSecrets } from "../../../test/integration/sms/attackCatalog.ts";
import { runAttackSuite, type AttackSuiteResult } from "./attackSuite.ts";
import { median } from "../statistics.ts";
import { quoteVerifyMeter } from "./quoteVerifyThroughput.ts";
import { releaseMeter } from "./releaseThroughput.ts";
import { measureSessionCryptoFloor, type SessionCryptoFloor } from "./sessionCryptoFloor.ts";

export const SMS_TARGETS = { releaseRatio: 0.3, secretsLeaked: 0, attacksTried: 12 } as const;

/**
 * Each round times, one right after the other, raw verifications, releases through the session
 * service in process (the figure judged) and releases over HTTP, so that every round's ratio
 * compares figures taken under the same load on a shared machine.
 */
export type SmsBenchOptions = { rounds: number; verificationsPerRound: number; sessionsPerRound: number; concurrency: number };

export const FULL_SIZE: SmsBenchOptions = { rounds: 7, verificationsPerRound: 5_000, sessionsPerRound: 400, concurrency: 16 };

export type TargetCheck = { metric: string; value: number; target: string; pass: boolean };

export type SmsBenchResult = {
  verifyPerSec: number;
  /** Full sessions per second through the session service in process. */
  releasesPerSec: number;
  /** The same sessions over loopback HTTP (keep-alive node:http client in the same process). */
  releasesPerSecHttp: number;
  /** The median of the rounds' ratios of releases (in process) to verifications. */
  releaseRatio: number;
  attacksTried: number;
  secretsLeaked: number;
  targets: TargetCheck[];
  pass: boolean;
  details: {
    verifyRounds: number[];
    releaseRounds: number[];
    releaseRoundsHttp: number[];
    /** Each round's releases per second (in process) over its verifications per second. */
    roundRatios: number[];
    releasePath: string;
    cryptoFloor: SessionCryptoFloor;
    releaseConcurrency: number;
    releaseSessions: number;
    attacks: AttackSuiteResult;
    node: string;
    measuredAt: string;
  };
};

export async function runSmsBench(options: SmsBenchOptions): Promise<SmsBenchResult> {
  const verify = quoteVerifyMeter();
  const h = await startHarness();
  try {
    await seedSecrets(h);
    const sessions = { sessionsPerRound: options.sessionsPerRound, concurrency: options.concurrency };
    const inProcess = await releaseMeter(h, { ...sessions, path: "in-process session service" });
    const overHttp = await releaseMeter(h, { ...sessions, path: "HTTP POST /v1/sessions" });
    const verifyRounds: number[] = [];
    const releaseRounds: number[] = [];
    const releaseRoundsHttp: number[] = [];
    try {
      for (let round = 0; round < options.rounds; round++) {
        verifyRounds.push(verify(options.verificationsPerRound));
        releaseRounds.push(await inProcess.round());
        releaseRoundsHttp.push(await overHttp.round());
      }
    } finally {
      overHttp.close();
      inProcess.close();
    }
    const verifyPerSec = median(verifyRounds);
    const cryptoFloor = measureSessionCryptoFloor(verifyPerSec, { rounds: options.rounds, operationsPerRound: Math.max(20, options.verificationsPerRound / 10) });
    const attacks = await runAttackSuite(h);
    const roundRatios = releaseRounds.map((releases, round) => releases / verifyRounds[round]!);
    const releaseRatio = median(roundRatios);
    const secretsLeaked = attacks.secretsLeaked + attacks.secretsInLogs;
    const targets: TargetCheck[] = [
      { metric: "releaseRatio", value: releaseRatio, target: `>= ${SMS_TARGETS.releaseRatio}`, pass: releaseRatio >= SMS_TARGETS.releaseRatio },
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
      verifyPerSec,
      releasesPerSec: median(releaseRounds),
      releasesPerSecHttp: median(releaseRoundsHttp),
      releaseRatio,
      attacksTried: attacks.attacksTried,
      secretsLeaked,
      targets,
      pass: targets.every((check) => check.pass),
      details: {
        verifyRounds,
        releaseRounds,
        releaseRoundsHttp,
        roundRatios,
        releasePath: "in-process session service",
        cryptoFloor,
        releaseConcurrency: options.concurrency,
        releaseSessions: options.rounds * options.sessionsPerRound,
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
  const rows: [string, string, string, string][] = [
    ["verifyPerSec", result.verifyPerSec.toFixed(0), "", ""],
    ["releasesPerSec", result.releasesPerSec.toFixed(1), "", ""],
    ["releasesPerSecHttp", result.releasesPerSecHttp.toFixed(1), "", ""],
    ["recoverPerSec", result.details.cryptoFloor.recoverPerSec.toFixed(0), `libsecp256k1 ${result.details.cryptoFloor.secp256k1Backend}`, ""],
    ["sealAgreementsPerSec", result.details.cryptoFloor.sealAgreementsPerSec.toFixed(0), "", ""],
    ["singleThreadRatioCeiling", result.details.cryptoFloor.singleThreadRatioCeiling.toFixed(4), "", ""],
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
