// The demo's auditor's view as a person reads it: a few aligned lines, amounts in the token's unit
// (never base units), parties named by their demo role and account number, explorer links to the
// deal and the workerpool.
import { expect } from "chai";
import { parseUnits } from "ethers";
import type { DemoResult } from "../../../src/demo/eHealthDemo.ts";
import { auditorsView, printDemoResult } from "../../../src/demo/printDemo.ts";
import type { DealRecord, PaymentRecord } from "../../../src/wire/marketApi/auditRecords.ts";

const DEAL_ID = `0x${"d1".repeat(32)}`;
const TX = `0x${"7a".repeat(32)}`;
// Hardhat's test accounts #1 (app developer), #2 (hospital), #3 (compute provider), #4 (health department).
const APP_DEVELOPER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const HOSPITAL = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const PROVIDER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const HEALTH_DEPARTMENT = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const ctd = (text: string) => parseUnits(text, 18).toString();
const proof = { blockNumber: 40, blockTime: "2026-02-01T10:00:00.000Z", transactionHash: TX, logIndex: 0 };

function payment(kind: PaymentRecord["kind"], from: string, to: string, amount: string, seq: number): PaymentRecord {
  return { ...proof, kind, from, to, amount: ctd(amount), dealId: DEAL_ID, taskIndex: kind === "lock" || kind === "stake_lock" ? null : "0", seq };
}

function demoResult(): DemoResult {
  const deal = {
    ...proof,
    dealId: DEAL_ID,
    status: "completed",
    taskCounts: { total: "1", completed: "1", failed: "0", claimed: "0", pending: "0" },
    requester: HEALTH_DEPARTMENT,
    appPrice: ctd("1"),
    datasetPrice: ctd("2"),
    workerpoolPrice: ctd("3"),
    stakePerTask: ctd("0.9"),
  } as DealRecord;
  return {
    readings: 2520,
    appId: "1",
    datasetId: "1",
    requestHash: `0x${"ee".repeat(32)}`,
    dealId: DEAL_ID,
    workerpool: "1",
    resultDir: "/tmp/demo/result",
    wards: [{ ward: "icu", readings: 504, anomalous: 12, anomalyShare: 12 / 504 }],
    token: { symbol: "CTD", decimals: 18 },
    explorerUrl: "http://127.0.0.1:8080/explorer",
    attestation: {
      verified: true,
      attestationCid: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
      teeType: "SGX",
      status: "UpToDate",
      advisoryIds: [],
      checks: ["RESULT_DIGEST", "QUOTE_VALID"].map((check) => ({ check, outcome: "passed" as const, detail: "ok" })),
    },
    audit: {
      deal,
      payments: [
        payment("lock", HEALTH_DEPARTMENT, HEALTH_DEPARTMENT, "6", 0),
        payment("stake_lock", PROVIDER, PROVIDER, "0.9", 1),
        payment("payout_app", HEALTH_DEPARTMENT, APP_DEVELOPER, "1", 0),
        payment("payout_dataset", HEALTH_DEPARTMENT, HOSPITAL, "2", 1),
        payment("payout_workerpool", HEALTH_DEPARTMENT, PROVIDER, "3", 2),
        payment("stake_release", PROVIDER, PROVIDER, "0.9", 3),
      ],
      reputation: { workerpool: "1", completed: "3", failed: "0", score: "8000", blockNumber: 41, blockTime: proof.blockTime, transactionHash: TX },
    },
  };
}

describe("the demo's auditor's view", () => {
  it("summarizes the deal, its price, its payments and the reputation in CTD, with explorer links", () => {
    expect(auditorsView(demoResult())).to.deep.equal([
      "auditor's view (from the market's API; every record is proven by a chain event):",
      `  deal         ${DEAL_ID}`,
      "               completed: 1 of 1 tasks done",
      `               http://127.0.0.1:8080/explorer/deals/${DEAL_ID}`,
      "  requester    health department (#4)",
      "  price        6 CTD per task: app 1 CTD + dataset 2 CTD + workerpool 3 CTD; stake 0.9 CTD",
      "  payments     payment locked     6 CTD   health department (#4)",
      "               stake locked     0.9 CTD   compute provider (#3)",
      "               app paid           1 CTD   health department (#4) → app developer (#1)",
      "               dataset paid       2 CTD   health department (#4) → hospital (#2)",
      "               workerpool paid    3 CTD   health department (#4) → compute provider (#3)",
      "               stake released   0.9 CTD   compute provider (#3)",
      "  reputation   workerpool 1: 3 completed, 0 failed, score 80.00 %",
      "               http://127.0.0.1:8080/explorer/workerpools/1",
    ]);
  });

  it("names an account outside the demo's roles by its shortened address", () => {
    const result = demoResult();
    const stranger = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199";
    result.audit.deal = { ...result.audit.deal, requester: stranger };
    expect(auditorsView(result)).to.include("  requester    0x8626f694…1199");
  });

  it("prints short lines with no raw JSON and no amount in base units", () => {
    const lines: string[] = [];
    printDemoResult(demoResult(), (line) => lines.push(line));
    expect(lines).to.include("e-Health demo complete: 2,520 readings analysed inside an attested enclave");
    expect(lines).to.include("  result decrypted into /tmp/demo/result");
    expect(lines).to.include("  attestation verified: SGX UpToDate, 2 of 2 checks passed");
    for (const line of lines) {
      // The longest: the link to the deal's page.
      if (!line.includes("/tmp/demo/result")) expect(line.length, line).to.be.at.most(120);
      expect(line, "no JSON").not.to.match(/[{}]/);
      expect(line.replace(/0x[0-9a-fA-F]+/g, "0x…"), "no base units").not.to.match(/\d{12,}/);
    }
  });
});
