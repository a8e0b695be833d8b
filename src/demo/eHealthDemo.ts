// The smart-city e-Health demo, played through the real surfaces: every step is a `continuum`
// CLI command (run in-process, exactly as typed in a terminal) against the running devnet — the
// chain, the market's REST API, the SMS, IPFS and the devnet workerpool's scheduler and workers.
//
//   hospital (account #2)          encrypts generated vital signs, publishes and registers them,
//                                  pushes the key to the SMS, sells them to the approved app only
//   app developer (account #1)     bundles, publishes and registers ward-stats, sells it
//   compute provider (account #3)  offers the devnet workerpool's capacity
//   health department (account #4) deposits, submits a request through REST, watches it,
//                                  downloads and decrypts the result that only it can read,
//                                  and verifies its attestation (which enclave produced it)
//   auditor                        reads the deal, its payments and the workerpool's reputation
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TokenUnit } from "../core/tokenAmount.ts";
import type { DealRecord, PaymentRecord, ReputationRecord } from "../wire/marketApi/auditRecords.ts";
import { DEVNET_ROOT_FILE } from "../devnet/devnetAttestation.ts";
import { prepareEHealthMarket, submitEHealthRequest } from "./eHealthMarket.ts";
import { DemoError } from "./roleCli.ts";

export { DEMO_ROLES, DemoError, type DemoRole } from "./roleCli.ts";

export type DemoOptions = {
  /** The devnet's data directory (deployment.json, IPFS blocks). */
  dataDir: string;
  marketUrl: string;
  smsUrl: string;
  gatewayUrl: string;
  /** The devnet's collateral service (PCCS routes), which `result verify` judges the enclave's quote with. */
  collateralUrl: string;
  /** The devnet workerpool's id. */
  workerpool: bigint;
  /** Where the demo keeps its key files, dataset and result (created). */
  workDir: string;
  /** Days of readings generated per ward (default 14). */
  days?: number;
  /** One line per step, for a person watching. */
  progress?: (line: string) => void;
  /** How long to wait for the task to complete (default 10 minutes). */
  timeout?: string;
};

/** What `continuum --json result verify` prints. */
export type ResultVerifyDocument = {
  verified: boolean;
  attestationCid: string;
  teeType?: string;
  status?: string;
  advisoryIds?: string[];
  checks: { check: string; outcome: "passed" | "failed" | "skipped"; detail: string }[];
};

export type WardSummary = { ward: string; readings: number; anomalous: number; anomalyShare: number };

export type DemoResult = {
  readings: number;
  appId: string;
  datasetId: string;
  requestHash: string;
  dealId: string;
  workerpool: string;
  resultDir: string;
  wards: WardSummary[];
  /** The payment token, for showing amounts. */
  token: TokenUnit;
  /** The market's explorer, e.g. http://127.0.0.1:8080/explorer. */
  explorerUrl: string;
  /** `continuum result verify` of the task's result, as it printed it with --json. */
  attestation: ResultVerifyDocument;
  /** The auditor's view of the deal, its payments and the workerpool's reputation, as the market's API answered. */
  audit: { deal: DealRecord; payments: PaymentRecord[]; reputation: ReputationRecord };
};

export async function runEHealthDemo(options: DemoOptions): Promise<DemoResult> {
  const say = options.progress ?? (() => undefined);
  const market = await prepareEHealthMarket(options);
  const { cli } = market;
  say("health department: submitting the request through REST ...");
  const requestHash = await submitEHealthRequest(market);
  say(`health department: request ${requestHash} submitted; the matcher, the scheduler and an attested worker take it from here ...`);
  const watched = await cli.json("healthDepartment", ["request", "watch", requestHash, "--timeout", options.timeout ?? "10m", "--interval", "1s"]);
  const deal = firstDeal(watched);
  const resultDir = join(options.workDir, "result");
  say(`health department: task completed in deal ${deal}; downloading and decrypting the result ...`);
  await cli.json("healthDepartment", ["result", "download", deal, "0", "--result-key", market.resultKey, "--out", resultDir, "--gateway", options.gatewayUrl]);
  const stats = JSON.parse(await readFile(join(resultDir, "ward-stats.json"), "utf8")) as { wards: Record<string, unknown>[] };
  const wards = stats.wards.map(wardSummary);
  say("health department: verifying the result's attestation against the devnet root ...");
  const rootFile = join(options.dataDir, DEVNET_ROOT_FILE);
  const attestation = (await cli.json("healthDepartment", [
    "result", "verify", deal, "0", "--root", rootFile, "--collateral", options.collateralUrl, "--gateway", options.gatewayUrl,
  ])) as ResultVerifyDocument;

  say("auditor: reading the deal, its payments and the workerpool's reputation from the API ...");
  const audit = {
    deal: (await cli.json("auditor", ["audit", "deal", deal])) as DealRecord,
    payments: ((await cli.json("auditor", ["audit", "payments", "--deal", deal, "--order", "asc"])) as { items: PaymentRecord[] }).items,
    reputation: (await cli.json("auditor", ["audit", "reputation", options.workerpool.toString()])) as ReputationRecord,
  };
  return {
    readings: market.readings.length,
    appId: market.appId,
    datasetId: market.datasetId,
    requestHash,
    dealId: deal,
    workerpool: options.workerpool.toString(),
    resultDir,
    wards,
    token: market.token,
    explorerUrl: `${options.marketUrl.replace(/\/+$/, "")}/explorer`,
    attestation,
    audit,
  };
}

function firstDeal(watched: Record<string, unknown>): string {
  const deals = watched.deals as { dealId?: string }[] | undefined;
  const dealId = deals?.[0]?.dealId;
  if (typeof dealId !== "string") throw new DemoError("DEMO_NO_DEAL", "the request finished without a deal", { watched });
  return dealId;
}

function wardSummary(ward: Record<string, unknown>): WardSummary {
  return {
    ward: String(ward.ward),
    readings: Number(ward.readings),
    anomalous: Number(ward.anomalousReadings),
    anomalyShare: Number(ward.anomalousShare),
  };
}
