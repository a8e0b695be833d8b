// The e-Health demo end to end on the whole devnet stack (Hardhat node, market with indexer and
// matcher, SMS, Helia with its gateway, the devnet workerpool's scheduler and two workers), driven
// through the CLI: the decrypted result must be exactly the statistics of the readings the hospital
// encrypted, the auditor must see the deal paid out, and the SMS must have released the dataset's
// key once, to the attested enclave of that very task.
import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Contract, ZeroAddress, parseUnits } from "ethers";
import { generateWardVitals, type VitalReading } from "../../examples/datasets/wardVitals.ts";
import { RESULT_CHECKS } from "../../src/attestation/results/verifyResultAttestation.ts";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import { runCli } from "../../src/cli/main.ts";
import { DEVNET_ROOT_FILE } from "../../src/devnet/devnetAttestation.ts";
import { E_HEALTH_DEFAULT_DAYS, E_HEALTH_PARAMS, E_HEALTH_PRICES, E_HEALTH_SEED } from "../../src/demo/eHealthMarket.ts";
import { DEMO_ROLES } from "../../src/demo/roleCli.ts";
import { runEHealthDemo, type DemoResult } from "../../src/demo/eHealthDemo.ts";
import { printDemoResult } from "../../src/demo/printDemo.ts";
import { readDatasetAudit } from "../helpers/smsAudit.ts";
import { startTestDevnet, type TestDevnet } from "../helpers/testDevnet.ts";

type Range = { min: number; max: number };
const VITALS = ["heartRate", "systolic", "spo2", "temperature"] as const;

/** The normal ranges ward-stats documents, with the demo's params applied on top. */
function expectedThresholds(): Record<(typeof VITALS)[number], Range> {
  const documented = { heartRate: { min: 50, max: 120 }, systolic: { min: 90, max: 180 }, spo2: { min: 92, max: 100 }, temperature: { min: 35, max: 38 } };
  const overrides = (JSON.parse(E_HEALTH_PARAMS) as { thresholds: Record<string, Partial<Range>> }).thresholds;
  return Object.fromEntries(VITALS.map((vital) => [vital, { ...documented[vital], ...overrides[vital] }])) as Record<(typeof VITALS)[number], Range>;
}

/** Per-ward statistics recomputed here from the plaintext, without the app's code. */
function expectedWardStats(readings: readonly VitalReading[]) {
  const thresholds = expectedThresholds();
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  const wards = [...new Set(readings.map((reading) => reading.ward))].sort();
  return wards.map((ward) => {
    const rows = readings.filter((reading) => reading.ward === ward);
    const outside = (reading: VitalReading, vital: (typeof VITALS)[number]) =>
      reading[vital] < thresholds[vital].min || reading[vital] > thresholds[vital].max;
    const anomalous = rows.filter((reading) => VITALS.some((vital) => outside(reading, vital))).length;
    return {
      ward,
      readings: rows.length,
      patients: new Set(rows.map((reading) => reading.patient)).size,
      days: new Set(rows.map((reading) => reading.day)).size,
      mean: Object.fromEntries(VITALS.map((vital) => [vital, round(rows.reduce((sum, reading) => sum + reading[vital], 0) / rows.length, 2)])),
      anomalies: Object.fromEntries(VITALS.map((vital) => [vital, rows.filter((reading) => outside(reading, vital)).length])),
      anomalousReadings: anomalous,
      anomalousShare: round(anomalous / rows.length, 4),
    };
  });
}

describe("e-Health demo end to end on the devnet", function () {
  this.timeout(240_000);
  let stack: TestDevnet;
  let result: DemoResult;
  let reputationBefore: { completed: bigint; failed: bigint; score: bigint };

  before(async function () {
    stack = await startTestDevnet();
    const { devnet } = stack;
    const continuum = new Contract(devnet.deployment.continuum, loadArtifact("Continuum").abi as never, devnet.provider);
    const [completed, failed, score] = await continuum.getFunction("reputationOf")(devnet.compute!.workerpool);
    reputationBefore = { completed, failed, score };
    result = await runEHealthDemo({
      dataDir: stack.dataDir,
      marketUrl: devnet.endpoints.marketUrl,
      smsUrl: devnet.endpoints.smsUrl,
      gatewayUrl: devnet.endpoints.gatewayUrl,
      collateralUrl: devnet.endpoints.collateralUrl,
      workerpool: devnet.compute!.workerpool,
      workDir: join(stack.dataDir, "demo"),
      timeout: "3m",
    });
  });

  after(async () => {
    await stack?.close();
  });

  it("decrypts per-ward statistics equal to those recomputed from the hospital's readings", async () => {
    const readings = generateWardVitals({ seed: E_HEALTH_SEED, days: E_HEALTH_DEFAULT_DAYS });
    expect(result.readings).to.equal(readings.length);
    const stats = JSON.parse(await readFile(join(result.resultDir, "ward-stats.json"), "utf8"));
    expect(stats.wards).to.deep.equal(expectedWardStats(readings));
    expect(stats.totals.readings).to.equal(readings.length);
    expect(stats.totals.skippedRows).to.equal(0);
    expect(stats.thresholds.spo2).to.include(expectedThresholds().spo2);
    expect(result.wards.map((ward) => ward.ward)).to.deep.equal(["cardiology", "geriatrics", "icu", "maternity", "oncology"]);
  });

  it("shows the auditor a completed deal paid out to the app owner, the dataset owner and the workerpool, and a higher reputation", async () => {
    const { devnet } = stack;
    const addressOf = (role: keyof typeof DEMO_ROLES) => devnet.accounts[DEMO_ROLES[role]]!.address.toLowerCase();
    const { deal } = result.audit;
    expect(deal).to.include({ dealId: result.dealId, status: "completed", app: result.appId, dataset: result.datasetId });
    expect(deal.requester.toLowerCase()).to.equal(addressOf("healthDepartment"));
    expect(deal.taskCounts).to.deep.equal({ total: "1", completed: "1", failed: "0", claimed: "0", pending: "0" });

    const token = new Contract(devnet.deployment.token, loadArtifact("DevnetToken").abi as never, devnet.provider);
    const decimals = Number(await token.getFunction("decimals")());
    const { payments } = result.audit;
    const paid = (kind: string) => payments.filter((payment) => payment.kind === kind).map((payment) => [payment.to?.toLowerCase(), payment.amount]);
    expect(paid("payout_app")).to.deep.equal([[addressOf("appDeveloper"), parseUnits(E_HEALTH_PRICES.app, decimals).toString()]]);
    expect(paid("payout_dataset")).to.deep.equal([[addressOf("hospital"), parseUnits(E_HEALTH_PRICES.dataset, decimals).toString()]]);
    expect(paid("payout_workerpool")).to.deep.equal([[addressOf("provider"), parseUnits(E_HEALTH_PRICES.workerpool, decimals).toString()]]);

    const { reputation } = result.audit;
    expect(BigInt(reputation.completed)).to.equal(reputationBefore.completed + 1n);
    expect(BigInt(reputation.failed)).to.equal(reputationBefore.failed);
    expect(BigInt(reputation.score)).to.be.greaterThan(reputationBefore.score);
  });

  it("prints the auditor's view for people: CTD amounts, parties by role, explorer links that open the deal and the workerpool", async () => {
    const lines: string[] = [];
    printDemoResult(result, (line) => lines.push(line));
    const view = lines.slice(lines.findIndex((line) => line.startsWith("auditor's view")));
    const { marketUrl } = stack.devnet.endpoints;
    const dealLink = `${marketUrl}/explorer/deals/${result.dealId}`;
    const poolLink = `${marketUrl}/explorer/workerpools/${stack.devnet.compute!.workerpool}`;
    expect(view).to.include.members([
      `  deal         ${result.dealId}`,
      "               completed: 1 of 1 tasks done",
      `               ${dealLink}`,
      "  requester    health department (#4)",
      `               ${poolLink}`,
    ]);
    expect(view).to.include(
      `  price        6 CTD per task: app ${E_HEALTH_PRICES.app} CTD + dataset ${E_HEALTH_PRICES.dataset} CTD + workerpool ${E_HEALTH_PRICES.workerpool} CTD; stake 0.9 CTD`,
    );
    expect(view.some((line) => /app paid +1 CTD +health department \(#4\) → app developer \(#1\)$/.test(line))).to.equal(true);
    expect(view.some((line) => /workerpool paid +3 CTD +health department \(#4\) → compute provider \(#3\)$/.test(line))).to.equal(true);
    for (const line of view) expect(line.replace(/0x[0-9a-fA-F]+/g, "0x…"), "no amount in base units").not.to.match(/\d{12,}/);
    const dealPage = await fetch(dealLink);
    expect(dealPage.status).to.equal(200);
    expect((await dealPage.text()).toLowerCase()).to.contain(`<h1>deal <code>${result.dealId.toLowerCase()}</code></h1>`);
    expect((await fetch(poolLink)).status).to.equal(200);
  });

  it("released the dataset key exactly once, sealed to the attested enclave that ran the task", async () => {
    const { devnet } = stack;
    const entries = await readDatasetAudit(devnet, devnet.accounts[DEMO_ROLES.hospital]!, result.datasetId);
    expect(entries.map((entry) => [entry.action, entry.outcome])).to.deep.equal([["push", "stored"], ["session", "released"]]);
    const release = entries[1]!;
    const tasks = (await (await fetch(`${devnet.endpoints.marketUrl}/v1/deals/${result.dealId}/tasks`)).json()) as { items: Record<string, any>[] };
    const [task] = tasks.items;
    expect(task).to.include({ status: "completed", index: "0" });
    expect(release).to.include({ dealId: result.dealId, taskIndex: "0", taskId: task!.taskId });
    expect([release.enclave, release.actor]).to.deep.equal([task!.enclave.toLowerCase(), task!.worker.toLowerCase()]);
    expect(release.secrets.map((secret) => secret.kind)).to.include("dataset");
    const apps = new Contract(devnet.deployment.appRegistry, loadArtifact("AppRegistry").abi as never, devnet.provider);
    const registered = await apps.getFunction("appOf")(BigInt(result.appId));
    expect(release.measurement).to.equal(String(registered.measurement).toLowerCase());
  });

  it("verifies the result's attestation with `continuum result verify`: every check passes under the devnet root", async () => {
    const { attestation } = result;
    // The SMS's verdict is checked against the contract's SMS signer, when the devnet registers one.
    const continuum = new Contract(stack.devnet.deployment.continuum, loadArtifact("Continuum").abi as never, stack.devnet.provider);
    const smsSigner = (await continuum.getFunction("smsSigner")()) as string;
    const expected = (check: string) => (check === "SMS_VERDICT" && smsSigner === ZeroAddress ? "skipped" : "passed");
    expect(attestation.checks.map((check) => [check.check, check.outcome])).to.deep.equal(RESULT_CHECKS.map((check) => [check, expected(check)]));
    expect(attestation).to.include({ verified: true, teeType: "SGX", status: "UpToDate" });
  });

  it("fails `result verify` naming the check when one byte of the attestation bundle changes", async () => {
    const { devnet } = stack;
    const bundle = Buffer.from(await (await fetch(`${devnet.endpoints.gatewayUrl}/ipfs/${result.attestation.attestationCid}`)).arrayBuffer()).toString("utf8");
    const verifyWith = async (name: string, text: string) => {
      const file = join(stack.dataDir, name);
      await writeFile(file, text);
      let stdout = "";
      let stderr = "";
      const code = await runCli(
        ["--json", "--data-dir", stack.dataDir, "result", "verify", result.dealId, "0", "--root", join(stack.dataDir, DEVNET_ROOT_FILE),
          "--collateral", devnet.endpoints.collateralUrl, "--gateway", devnet.endpoints.gatewayUrl, "--bundle", file,
          "--sms-signer", devnet.sms.signer],
        { io: { stdout: (out) => void (stdout += out), stderr: (out) => void (stderr += out) }, env: {}, cwd: stack.dataDir },
      );
      const failed = (JSON.parse(stdout).checks as { check: string; outcome: string }[]).filter((check) => check.outcome === "failed").map((check) => check.check);
      return { code, failed, error: stderr === "" ? undefined : (JSON.parse(stderr).error as { code: string; message: string }) };
    };
    const changeAt = (index: number) => `${bundle.slice(0, index)}${bundle[index] === "0" ? "1" : "0"}${bundle.slice(index + 1)}`;

    // One byte of MRENCLAVE in the quote's report body: the quote's signature no longer verifies.
    const quoteAt = bundle.indexOf('"quote": "0x') + '"quote": "0x'.length;
    const quote = await verifyWith("tampered-quote.json", changeAt(quoteAt + 2 * (48 + 64)));
    expect(quote.code).to.equal(1);
    expect(quote.failed).to.deep.equal(["BUNDLE_LINK", "QUOTE_VALID"]);
    expect(quote.error?.code).to.equal("RESULT_NOT_VERIFIED");
    expect(quote.error?.message).to.include("QUOTE_SIGNATURE");

    // One byte of the SMS's signature: the verdict is no longer the contract's SMS signer's.
    const signatureAt = bundle.indexOf('"signature": "0x') + '"signature": "0x'.length;
    const verdict = await verifyWith("tampered-verdict.json", changeAt(signatureAt + 10));
    expect(verdict.code).to.equal(1);
    expect(verdict.failed).to.deep.equal(["BUNDLE_LINK", "SMS_VERDICT"]);

    // The bundle as published, given as a file, verifies like the one the result names.
    const untouched = await verifyWith("bundle.json", bundle);
    expect([untouched.code, untouched.failed]).to.deep.equal([0, []]);
  });

  it("serves the task's attestation on the market API and shows the SMS's verdict on the explorer's task page", async () => {
    const { marketUrl } = stack.devnet.endpoints;
    const response = await fetch(`${marketUrl}/v1/deals/${result.dealId}/tasks/0/attestation`);
    const body = (await response.json()) as Record<string, any>;
    expect(response.status, JSON.stringify(body)).to.equal(200);
    expect(body).to.include({ dealId: result.dealId, index: "0", attestationCid: result.attestation.attestationCid });
    expect(body.attestation.smsVerdict).to.include({ teeType: "SGX", tcbStatus: "UpToDate" });
    expect(body.attestation.enclave).to.equal(body.enclave);

    const missing = await fetch(`${marketUrl}/v1/deals/${result.dealId}/tasks/7/attestation`);
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).to.deep.equal([404, "TASK_NOT_FOUND"]);
    const badIndex = await fetch(`${marketUrl}/v1/deals/${result.dealId}/tasks/one/attestation`);
    expect([badIndex.status, ((await badIndex.json()) as { error: { code: string } }).error.code]).to.deep.equal([400, "INVALID_TASK_INDEX"]);

    const page = await (await fetch(`${marketUrl}/explorer/deals/${result.dealId}/tasks/0`)).text();
    expect(page).to.include('<span class="tcb-status">UpToDate</span>');
    expect(page).to.include(`continuum result verify ${result.dealId} 0`);
    const dealPage = await (await fetch(`${marketUrl}/explorer/deals/${result.dealId}`)).text();
    expect(dealPage).to.include(`href="/explorer/deals/${result.dealId}/tasks/0"`);
  });
});
