// The SMS benchmark as one function: raw quote verification throughput, full session throughput
// against the Hardhat chain and the database, and the adversarial catalog, judged against the
// targets of issue 4. scripts/bench/sms.ts runs it at full size; a test runs it tiny.
import { startHarness } from "../../../test/sms/smsHarness.ts";
import { seedSecrets } from "../../../test/sms/attackCatalog.ts";
import { runAttackSuite, type AttackSuiteResult } from "./attackSuite.ts";
import { measureQuoteVerifyThroughput, type VerifyThroughputOptions } from "./quoteVerifyThroughput.ts";
import { measureReleaseThroughput, type ReleaseThroughputOptions } from "./releaseThroughput.ts";
import { measureSessionCryptoFloor, type SessionCryptoFloor } from "./sessionCryptoFloor.ts";

export const SMS_TARGETS = { releaseRatio: 0.3, secretsLeaked: 0, attacksTried: 12 } as const;

/** Release rounds run twice: through the session service in process (the figure judged) and over HTTP. */
export type SmsBenchOptions = { verify: VerifyThroughputOptions; release: Omit<ReleaseThroughputOptions, "path"> };

export const FULL_SIZE: SmsBenchOptions = {
  verify: { rounds: 7, verificationsPerRound: 5_000 },
  release: { rounds: 5, sessionsPerRound: 400, concurrency: 16 },
};

export type TargetCheck = { metric: string; value: number; target: string; pass: boolean };

export type SmsBenchResult = {
  verifyPerSec: number;
  /** Full sessions per second through the session service in process. */
  releasesPerSec: number;
  /** The same sessions over loopback HTTP, client in the same process. */
  releasesPerSecHttp: number;
  releaseRatio: number;
  attacksTried: number;
  secretsLeaked: number;
  targets: TargetCheck[];
  pass: boolean;
  details: {
    verifyRounds: number[];
    releaseRounds: number[];
    releaseRoundsHttp: number[];
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
  const verify = measureQuoteVerifyThroughput(options.verify);
  const h = await startHarness();
  try {
    await seedSecrets(h);
    const release = await measureReleaseThroughput(h, { ...options.release, path: "in-process session service" });
    const overHttp = await measureReleaseThroughput(h, { ...options.release, path: "HTTP POST /v1/sessions" });
    const cryptoFloor = measureSessionCryptoFloor(verify.verifyPerSec, { rounds: options.verify.rounds, operationsPerRound: Math.max(20, options.verify.verificationsPerRound / 10) });
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
      releasesPerSecHttp: overHttp.releasesPerSec,
      releaseRatio,
      attacksTried: attacks.attacksTried,
      secretsLeaked,
      targets,
      pass: targets.every((check) => check.pass),
      details: {
        verifyRounds: verify.rounds,
        releaseRounds: release.rounds,
        releaseRoundsHttp: overHttp.rounds,
        releasePath: release.path,
        cryptoFloor,
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
    ["releasesPerSecHttp", result.releasesPerSecHttp.toFixed(1), "", ""],
    ["recoverPerSec", result.details.cryptoFloor.recoverPerSec.toFixed(0), "", ""],
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
