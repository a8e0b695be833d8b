// The SMS benchmark as one function: raw quote verification throughput, full session throughput
// against the Hardhat chain and the database, and the adversarial catalog, judged against the
// targets of issue 4. scripts/bench/sms.ts runs it at full size; a test runs it tiny.
import { startHarness } from "../../../test/sms/smsHarness.ts";
import { seedSecrets } from "../../../test/sms/attackCatalog.ts";
import { runAttackSuite, type AttackSuiteResult } from "./attackSuite.ts";
import { measureQuoteVerifyThroughput, type VerifyThroughputOptions } from "./quoteVerifyThroughput.ts";
import { measureReleaseThroughput, type ReleaseThroughputOptions } from "./releaseThroughput.ts";

export const SMS_TARGETS = { releaseRatio: 0.3, secretsLeaked: 0, attacksTried: 12 } as const;

export type SmsBenchOptions = { verify: VerifyThroughputOptions; release: ReleaseThroughputOptions };

export const FULL_SIZE: SmsBenchOptions = {
  verify: { rounds: 7, verificationsPerRound: 5_000 },
  release: { rounds: 5, sessionsPerRound: 200, concurrency: 4 },
};

export type TargetCheck = { metric: string; value: number; target: string; pass: boolean };

export type SmsBenchResult = {
  verifyPerSec: number;
  releasesPerSec: number;
  releaseRatio: number;
  attacksTried: number;
  secretsLeaked: number;
  targets: TargetCheck[];
  pass: boolean;
  details: {
    verifyRounds: number[];
    releaseRounds: number[];
    releasePath: string;
    releaseConcurrency: number;
    releaseSessions: number;
    attacks: AttackSuiteResult;
    node: string;
    measuredAt: string;
  };
};

export async function runSmsBench(options: SmsBenchOptions): Promise<SmsBenchResult> {
  const verify = measureQuoteVerifyThroughput(options.verify);
  const h = await startHarness();
  try {
    await seedSecrets(h);
    const release = await measureReleaseThroughput(h, options.release);
    const attacks = await runAttackSuite(h);
    const releaseRatio = release.releasesPerSec / verify.verifyPerSec;
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
      verifyPerSec: verify.verifyPerSec,
      releasesPerSec: release.releasesPerSec,
      releaseRatio,
      attacksTried: attacks.attacksTried,
      secretsLeaked,
      targets,
      pass: targets.every((check) => check.pass),
      details: {
        verifyRounds: verify.rounds,
        releaseRounds: release.rounds,
        releasePath: release.path,
        releaseConcurrency: release.concurrency,
        releaseSessions: release.sessions,
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
