// The enclave runtime end to end with real parts: a deal matched on the in-process Hardhat chain,
// a real Helia store on disk, the simulated attestation platform, real dataset and result
// encryption and real app processes. Only the SMS is a test stand-in (testSecretsClient.ts).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { hexlify, keccak256, randomBytes, toUtf8Bytes, verifyTypedData } from "ethers";
import { DcapVerifier, PcsCollateralClient } from "../../../src/attestation/dcap/index.ts";
import { envelopeDigest, RESULT_CHECKS, verifyResultAttestation, type ResultVerification } from "../../../src/attestation/results/verifyResultAttestation.ts";
import { decodeResultAttestation } from "../../../src/wire/attestation/resultAttestation.ts";
import { startTestAttestation, type TestAttestation } from "../../helpers/devnetAttestation.ts";
import { packBundle, probePythonRuntime, readArchive, unpackArchive } from "../../../src/apps/index.ts";
import {
  ATTESTED_RESULT_FORMAT_VERSION,
  decryptResult,
  encryptDataset,
  generateResultKeyPair,
  parseResultHeader,
  resultPublicKeyToHex,
  sha256Hex,
} from "../../../src/crypto/index.ts";
import {
  FAILURE_CAUSE,
  RESULT_TYPES,
  recoverEnclaveAttestedSigner,
  recoverTaskFailureSigner,
  signAuthorization,
  signSessionRequest,
  taskIdOf,
} from "../../../src/wire/eip712/index.ts";
import { FAILURE_REPORT_FILE, type FailureReport } from "../../../enclave/failureReport.ts";
import { computeCid, HeliaContentStore } from "../../../src/storage/index.ts";
import {
  runEnclaveTask,
  type CompletedEnclaveTask,
  type EnclaveHost,
  type EnclaveTask,
  type EnclaveTaskOutcome,
  type FailedEnclaveTask,
  type QuotingPlatform,
} from "../../../enclave/index.ts";
import { generateWardVitals, wardVitalsToCsv } from "../../../examples/datasets/wardVitals.ts";
import {
  MAX_RUN_TIME,
  by,
  datasetOrder,
  defaultOrders,
  loadProtocol,
  matchDeal,
  requestOrder,
  type Fixture,
} from "../../helpers/protocolFixture.ts";
import { makeTempDir, removeDir } from "../../unit/enclave/enclaveTestKit.ts";
import { TestSecretsClient, type TestSmsBehaviour } from "./testSecretsClient.ts";

const WARD_STATS = fileURLToPath(new URL("../../../examples/apps/ward-stats-node/", import.meta.url));
const WARD_STATS_PYTHON = fileURLToPath(new URL("../../../examples/apps/ward-stats/", import.meta.url));
const WASI_LINE_COUNT = fileURLToPath(new URL("../../../examples/apps/wasi-line-count/", import.meta.url));
const PYTHON = { interpreter: "/usr/bin/python3" };
const PARAMS = '{"thresholds":{"spo2":{"min":91}}}';
const execFileAsync = promisify(execFile);

function expectCompleted(outcome: EnclaveTaskOutcome): CompletedEnclaveTask {
  if (outcome.status === "failed") expect.fail(`task failed: ${outcome.error.code} ${outcome.error.message}`);
  return outcome;
}

function failedChecks(verification: ResultVerification): string[] {
  return verification.checks.filter((check) => check.outcome === "failed").map((check) => check.check);
}

function expectFailed(outcome: EnclaveTaskOutcome, code: string): FailedEnclaveTask {
  expect(outcome.status, "status").to.equal("failed");
  const failed = outcome as FailedEnclaveTask;
  expect(failed.error.code, failed.error.message).to.equal(code);
  return failed;
}

describe("runEnclaveTask", function () {
  let root: string;
  let work: string;
  let store: HeliaContentStore;
  let f: Fixture;
  let attestation: TestAttestation;
  let platform: QuotingPlatform;
  let verifier: DcapVerifier;
  const beneficiaryKeys = generateResultKeyPair();
  let csv: string;
  let datasetKey: Uint8Array;
  let dataset: { cid: string; checksum: string };
  let wardStats: { bundleCid: string; measurement: string };
  let baseTask: EnclaveTask;

  before(async function () {
    root = await makeTempDir();
    work = join(root, "work");
    await mkdir(work);
    store = await HeliaContentStore.open({ directory: join(root, "ipfs") });
    attestation = await startTestAttestation();
    platform = await attestation.quotingPlatform();
    verifier = new DcapVerifier({ trustedRoot: attestation.dcap.rootCertificatePem });

    csv = wardVitalsToCsv(generateWardVitals({ seed: 42 }));
    const encrypted = encryptDataset(Buffer.from(csv));
    datasetKey = encrypted.key;
    dataset = { cid: await store.add(encrypted.encrypted), checksum: encrypted.checksum };
    const packed = await packBundle(WARD_STATS);
    wardStats = { bundleCid: await store.add(packed.bytes), measurement: packed.measurement };

    f = await loadProtocol();
    await f.apps.registerApp(f.appOwner.address, "ward-stats", wardStats.bundleCid, packed.checksum, packed.measurement);
    await f.datasets.registerDataset(f.datasetOwner.address, "ward vitals", dataset.cid, dataset.checksum);
    const orders = await defaultOrders(f, {
      app: { ...(await defaultOrders(f)).app, app: 2n },
      dataset: await datasetOrder(f, { dataset: 2n, appRestrict: 2n }),
      request: await requestOrder(f, {
        app: 2n,
        dataset: 2n,
        params: PARAMS,
        resultPublicKey: resultPublicKeyToHex(beneficiaryKeys.publicKey),
      }),
    });
    const { deal, dealId } = await matchDeal(f, orders);
    baseTask = {
      deal,
      dealId,
      taskIndex: 0n,
      attempt: 1,
      dealBlock: 0,
      worker: f.worker.address,
      params: PARAMS,
      app: wardStats,
      dataset,
      maxRunTimeSeconds: Number(MAX_RUN_TIME),
    };
  });

  after(async function () {
    await store?.stop();
    await attestation?.close();
    await removeDir(root);
  });

  afterEach(async function () {
    expect(await readdir(work), "scratch directories left behind").to.deep.equal([]);
  });

  function sms(measurement = wardStats.measurement, behaviour: TestSmsBehaviour = "verify-and-release"): TestSecretsClient {
    return new TestSecretsClient({
      verifier,
      collateral: new PcsCollateralClient({ baseUrl: attestation.collateral.url }),
      domain: f.domain,
      measurement,
      workerpoolOwner: f.poolOwner.address,
      datasetKey,
      behaviour,
    });
  }

  function host(overrides: Partial<EnclaveHost> = {}): EnclaveHost {
    return {
      store,
      platform,
      secrets: sms(),
      authorize: (authorization) => signAuthorization(f.poolOwner, f.domain, authorization),
      signSessionRequest: (message) => signSessionRequest(f.worker, f.domain, message),
      domain: f.domain,
      workDirectory: work,
      ...overrides,
    };
  }

  /** Publishes a one-file "node" app and returns a task running it on the deal's dataset. */
  async function taskWithApp(source: string, limits?: Record<string, number>): Promise<EnclaveTask> {
    const dir = join(root, `app-${hexlify(randomBytes(4))}`);
    await mkdir(dir);
    const manifest = { name: "probe", version: "1.0.0", description: "Test app.", runtime: "node", entrypoint: "main.mjs", limits };
    await writeFile(join(dir, "continuum.json"), JSON.stringify(manifest));
    await writeFile(join(dir, "main.mjs"), source);
    const packed = await packBundle(dir);
    return { ...baseTask, app: { bundleCid: await store.add(packed.bytes), measurement: packed.measurement } };
  }

  async function failureReportOf(outcome: CompletedEnclaveTask): Promise<FailureReport> {
    const directory = await decryptedOutput(outcome);
    expect(await readdir(directory)).to.deep.equal([FAILURE_REPORT_FILE]);
    return JSON.parse(await readFile(join(directory, FAILURE_REPORT_FILE), "utf8"));
  }

  async function decryptedOutput(outcome: CompletedEnclaveTask): Promise<string> {
    const envelope = await store.get(outcome.resultCid);
    const out = join(root, `result-${hexlify(randomBytes(4))}`);
    await unpackArchive(decryptResult(envelope, beneficiaryKeys.privateKey), out);
    return out;
  }

  it("runs ward-stats on the deal's dataset and seals exactly the app's output to the beneficiary", async function () {
    const outcome = expectCompleted(await runEnclaveTask(baseTask, host()));
    const resultDir = await decryptedOutput(outcome);
    expect(await readdir(resultDir)).to.deep.equal(["ward-stats.json"]);

    const directDir = join(root, "direct");
    await mkdir(join(directDir, "in"), { recursive: true });
    await mkdir(join(directDir, "out"));
    await writeFile(join(directDir, "in", "vitals.csv"), csv);
    await execFileAsync(process.execPath, [join(WARD_STATS, "main.mjs")], {
      env: { CONTINUUM_INPUT: join(directDir, "in"), CONTINUUM_OUTPUT: join(directDir, "out"), CONTINUUM_PARAMS: PARAMS },
    });
    const sealed = await readFile(join(resultDir, "ward-stats.json"), "utf8");
    expect(sealed).to.equal(await readFile(join(directDir, "out", "ward-stats.json"), "utf8"));
    const stats = JSON.parse(sealed) as { totals: { readings: number }; thresholds: { spo2: { min: number } } };
    expect(stats.totals.readings).to.equal(1260);
    expect(stats.thresholds.spo2.min).to.equal(91);
  });

  describe("python and wasi apps", () => {
    it("runs the Python ward-stats, measured for this worker's interpreter, to the Node version's statistics", async function () {
      const { profile } = await probePythonRuntime(PYTHON);
      const packed = await packBundle(WARD_STATS_PYTHON, { profile });
      expect(packed.measurement).to.not.equal(packed.checksum);
      const app = { bundleCid: await store.add(packed.bytes), measurement: packed.measurement };
      const outcome = expectCompleted(await runEnclaveTask({ ...baseTask, app }, host({ secrets: sms(packed.measurement), python: PYTHON })));
      expect(outcome.measurement).to.equal(packed.measurement);
      const fromPython = await readFile(join(await decryptedOutput(outcome), "ward-stats.json"), "utf8");
      const fromNode = await readFile(join(await decryptedOutput(expectCompleted(await runEnclaveTask(baseTask, host()))), "ward-stats.json"), "utf8");
      const withoutVersion = (text: string) => text.replace(/"version": "[^"]*"/, "");
      expect(withoutVersion(fromPython)).to.equal(withoutVersion(fromNode));
    });

    it("refuses a Python app measured for another interpreter as WRONG_MEASUREMENT, before running anything", async function () {
      const { profile } = await probePythonRuntime(PYTHON);
      const other = { ...profile, interpreter: { ...profile.interpreter, executableSha256: `0x${"ab".repeat(32)}` as const } };
      const packed = await packBundle(WARD_STATS_PYTHON, { profile: other });
      const app = { bundleCid: await store.add(packed.bytes), measurement: packed.measurement };
      const failed = expectFailed(await runEnclaveTask({ ...baseTask, app }, host({ secrets: sms(packed.measurement), python: PYTHON })), "WRONG_MEASUREMENT");
      expect(failed.enclaveAddress).to.equal(undefined);
    });

    it("runs the WASI example, whose measurement is the same on every worker", async function () {
      const packed = await packBundle(WASI_LINE_COUNT);
      const app = { bundleCid: await store.add(packed.bytes), measurement: packed.measurement };
      const outcome = expectCompleted(await runEnclaveTask({ ...baseTask, app }, host({ secrets: sms(packed.measurement) })));
      const lines = csv.split("\n").length - 1;
      expect(await readFile(join(await decryptedOutput(outcome), "lines.txt"), "utf8")).to.equal(`${lines}\n`);
    });
  });

  it("digests the stored ciphertext, signs with an enclave key the contract accepts", async function () {
    const outcome = expectCompleted(await runEnclaveTask(baseTask, host()));
    const stored = await store.get(outcome.resultCid);
    expect(outcome.resultDigest).to.equal(sha256Hex(stored));
    expect(outcome.resultSize).to.equal(stored.byteLength);
    expect(outcome.measurement).to.equal(wardStats.measurement);

    const statement = { worker: f.worker.address, taskId: outcome.taskId, resultDigest: outcome.resultDigest, resultCid: outcome.resultCid };
    expect(verifyTypedData(f.domain, RESULT_TYPES, statement, outcome.enclaveSignature)).to.equal(outcome.enclaveAddress);
    expect(outcome.taskResult).to.deep.equal({
      index: 0n,
      worker: f.worker.address,
      enclave: outcome.enclaveAddress,
      resultDigest: outcome.resultDigest,
      resultCid: outcome.resultCid,
      authorization: outcome.authorization,
      enclaveSignature: outcome.enclaveSignature,
      smsAttestation: outcome.smsVerdict!.signature,
    });
    expect(recoverEnclaveAttestedSigner(f.domain, { taskId: outcome.taskId, enclave: outcome.enclaveAddress }, outcome.taskResult.smsAttestation)).to.equal(
      f.sms.address,
    );

    // The result as the enclave made it, with the SMS's attestation of its key: the contract accepts it.
    const receipt = await (await by(f.continuum, f.worker).pushResult(baseTask.deal, outcome.taskResult)).wait();
    const pushed = receipt.logs.map((log: never) => f.continuum.interface.parseLog(log)).find((log: { name: string } | null) => log?.name === "ResultPushed");
    expect(pushed?.args.resultCid).to.equal(outcome.resultCid);
    expect(pushed?.args.resultDigest).to.equal(outcome.resultDigest);
  });

  it("publishes an attestation bundle that the result's envelope names, and the result as pushed verifies against it", async function () {
    const outcome = expectCompleted(await runEnclaveTask(baseTask, host()));
    const envelope = await store.get(outcome.resultCid);
    expect(envelope[4], "envelope version").to.equal(ATTESTED_RESULT_FORMAT_VERSION);
    expect(parseResultHeader(envelope).attestationCid).to.equal(outcome.attestationCid);
    const bytes = await store.get(outcome.attestationCid!);
    const bundle = decodeResultAttestation(bytes);
    expect(bundle).to.deep.include({ taskId: outcome.taskId, enclave: outcome.enclaveAddress, appMeasurement: wardStats.measurement });
    expect(bundle.smsVerdict).to.deep.equal(outcome.smsVerdict);

    const accepted = {
      taskId: outcome.taskId,
      worker: f.worker.address,
      enclave: outcome.enclaveAddress,
      resultDigest: outcome.resultDigest,
      resultCid: outcome.resultCid,
      enclaveSignature: outcome.enclaveSignature,
      appMeasurement: wardStats.measurement,
      smsSigner: f.sms.address,
      domain: f.domain,
    };
    const options = {
      verifier,
      collateral: new PcsCollateralClient({ baseUrl: attestation.collateral.url }),
      at: new Date(),
      acceptedTcbStatuses: ["UpToDate", "SWHardeningNeeded"] as const,
    };
    const evidence = { envelopeDigest: envelopeDigest(envelope), linkedAttestationCid: outcome.attestationCid, bundle: { cid: outcome.attestationCid!, bytes } };
    const verified = await verifyResultAttestation(accepted, evidence, options);
    expect(verified.checks.filter((check) => check.outcome !== "passed"), JSON.stringify(verified.checks)).to.deep.equal([]);
    expect(verified.checks.map((check) => check.check)).to.deep.equal([...RESULT_CHECKS]);
    expect(verified.verified).to.equal(true);

    // Another enclave's key in the bundle: the quote still verifies, but it commits to another key.
    const otherKey = new TextEncoder().encode(new TextDecoder().decode(bytes).replace(bundle.enclave, f.worker.address));
    const swapped = await verifyResultAttestation(accepted, { ...evidence, bundle: { cid: await computeCid(otherKey), bytes: otherKey } }, options);
    expect(failedChecks(swapped)).to.deep.equal(["BUNDLE_LINK", "REPORT_DATA_BINDS_KEY", "KEY_SIGNED_RESULT", "SMS_VERDICT"]);
    // Without an SMS signer to check it against, the verdict is skipped and the rest still verifies.
    const unsigned = await verifyResultAttestation({ ...accepted, smsSigner: undefined }, evidence, options);
    expect(unsigned.checks.find((check) => check.check === "SMS_VERDICT")?.outcome).to.equal("skipped");
    expect([unsigned.verified, failedChecks(unsigned)]).to.deep.equal([true, []]);
    // A TCB status the requester does not accept.
    const strict = await verifyResultAttestation(accepted, evidence, { ...options, acceptedTcbStatuses: ["SWHardeningNeeded"] });
    expect(failedChecks(strict)).to.deep.equal(["TCB_STATUS"]);
  });

  it("uses a fresh enclave key for every task and reports the isolation in force", async function () {
    const first = expectCompleted(await runEnclaveTask(baseTask, host()));
    const second = expectCompleted(await runEnclaveTask(baseTask, host()));
    expect(first.enclaveAddress).to.not.equal(second.enclaveAddress);
    expect(first.isolation).to.have.keys("networkIsolated", "fileSizeLimited", "residentMemoryWatched");
  });

  it("runs a deal without a dataset, giving the app its params and the requester's secrets", async function () {
    const task = await taskWithApp(`
      import { readFileSync, writeFileSync, readdirSync } from "node:fs";
      const secrets = process.env.CONTINUUM_SECRETS;
      writeFileSync(process.env.CONTINUUM_OUTPUT + "/seen.json", JSON.stringify({
        params: process.env.CONTINUUM_PARAMS,
        requester: readdirSync(secrets + "/requester"),
        token: readFileSync(secrets + "/requester/token", "utf8"),
        app: readdirSync(secrets + "/app"),
        input: readdirSync(process.env.CONTINUUM_INPUT),
        dataset: process.env.CONTINUUM_DATASET_FILE ?? null,
      }));`);
    const secrets = new TestSecretsClient({
      verifier,
      collateral: new PcsCollateralClient({ baseUrl: attestation.collateral.url }),
      domain: f.domain,
      measurement: task.app.measurement,
      workerpoolOwner: f.poolOwner.address,
      datasetKey: undefined,
      requesterSecrets: { token: Buffer.from("s3cret") },
    });
    const outcome = expectCompleted(
      await runEnclaveTask({ ...task, deal: { ...task.deal, dataset: 0n }, dataset: undefined }, host({ secrets })),
    );
    const seen = JSON.parse(await readFile(join(await decryptedOutput(outcome), "seen.json"), "utf8"));
    expect(seen).to.deep.equal({ params: PARAMS, requester: ["token"], token: "s3cret", app: [], input: [], dataset: null });
  });

  it("refuses a bundle that does not measure as the registered app when it cannot tell whose fault it is, before asking the SMS", async function () {
    const secrets = sms();
    const outcome = await runEnclaveTask({ ...baseTask, app: { ...wardStats, measurement: hexlify(randomBytes(32)) } }, host({ secrets }));
    expectFailed(outcome, "WRONG_MEASUREMENT");
    expect(secrets.sessions).to.equal(0);
    expect(outcome.enclaveAddress).to.equal(undefined);
  });

  it("attests what a bundle other than the registered one measures as, and fails with the SMS's verdict blaming the app owner", async function () {
    const secrets = sms();
    const impostor = await taskWithApp('console.log("not the registered app")');
    const app = { bundleCid: impostor.app.bundleCid, measurement: wardStats.measurement, checksum: wardStats.measurement };
    const failed = expectFailed(await runEnclaveTask({ ...baseTask, app }, host({ secrets })), "SMS_REFUSED");
    expect(secrets.sessions).to.equal(1);
    expect(secrets.released).to.equal(0);
    expect(failed.error.details).to.deep.include({ reason: "MEASUREMENT_MISMATCH" });
    const failure = failed.error.details!.failure as { cause: number; attempt: number; signature: string };
    expect(failure).to.include({ cause: FAILURE_CAUSE.appOwner, attempt: 1 });
    // The evidence failTask settles on (test/integration/sms/verdicts.test.ts settles such verdicts on-chain).
    const taskId = taskIdOf(baseTask.dealId, 0n);
    expect(recoverTaskFailureSigner(f.domain, { taskId, cause: FAILURE_CAUSE.appOwner, attempt: 1 }, failure.signature)).to.equal(f.sms.address);
  });

  it("seals a failure report to the requester when the dataset does not match its registered checksum", async function () {
    const tampered = Buffer.from(await store.get(dataset.cid));
    tampered[tampered.length - 1] ^= 1;
    const tamperedCid = await store.add(tampered);
    const outcome = expectCompleted(await runEnclaveTask({ ...baseTask, dataset: { ...dataset, cid: tamperedCid } }, host()));
    expect((await failureReportOf(outcome)).code).to.equal("BAD_DATASET_CHECKSUM");
  });

  it("fails with SMS_REFUSED and the SMS's reason when the SMS refuses", async function () {
    const failed = expectFailed(await runEnclaveTask(baseTask, host({ secrets: sms(hexlify(randomBytes(32))) })), "SMS_REFUSED");
    expect(failed.error.details).to.include({ reason: "MEASUREMENT_MISMATCH" });
    expect(failed.enclaveAddress).to.match(/^0x[0-9a-fA-F]{40}$/);
  });

  it("fails with SMS_UNAVAILABLE, not a hang, when the SMS never answers", async function () {
    const outcome = await runEnclaveTask(baseTask, host({ secrets: sms(undefined, "never-answer"), limits: { requestTimeoutMs: 300 } }));
    expectFailed(outcome, "SMS_UNAVAILABLE");
  });

  it("fails with DATASET_KEY_MISSING when the SMS releases no dataset key", async function () {
    expectFailed(await runEnclaveTask(baseTask, host({ secrets: sms(undefined, "release-without-key") })), "DATASET_KEY_MISSING");
  });

  it("refuses an authorization not signed by the deal's workerpool owner, before asking the SMS", async function () {
    const secrets = sms();
    const outcome = await runEnclaveTask(
      baseTask,
      host({ secrets, authorize: (authorization) => signAuthorization(f.stranger, f.domain, authorization) }),
    );
    expectFailed(outcome, "AUTHORIZATION_FAILED");
    expect(secrets.sessions).to.equal(0);
  });

  it("refuses params that do not hash to the deal's paramsHash", async function () {
    expect(keccak256(toUtf8Bytes(PARAMS))).to.equal(baseTask.deal.paramsHash);
    expectFailed(await runEnclaveTask({ ...baseTask, params: '{"thresholds":{}}' }, host()), "PARAMS_MISMATCH");
  });

  it("seals an app that crashes as a failure report with its exit code, a result the contract pays the pool for", async function () {
    const task = await taskWithApp('throw new Error("boom: secret-looking text")');
    const outcome = expectCompleted(await runEnclaveTask(task, host({ secrets: sms(task.app.measurement) })));
    const report = await failureReportOf(outcome);
    expect(report).to.deep.include({ format: "continuum-failure/1", code: "APP_FAILED", taskId: outcome.taskId, attempt: 1 });
    expect(report.details).to.include({ exitCode: 1 });
    expect(JSON.stringify(report), "nothing the app printed").to.not.include("secret-looking");
    expect(outcome.failure?.code).to.equal("APP_FAILED");
    expect(outcome.taskResult.smsAttestation).to.equal(outcome.smsVerdict!.signature);
  });

  it("kills an app that outlives its time limit, and reports APP_TIMEOUT to the requester", async function () {
    const task = await taskWithApp("for (;;) {}");
    const startedAt = Date.now();
    const outcome = expectCompleted(await runEnclaveTask(task, host({ secrets: sms(task.app.measurement), limits: { timeLimitMs: 1_000 } })));
    expect((await failureReportOf(outcome)).code).to.equal("APP_TIMEOUT");
    expect(Date.now() - startedAt).to.be.below(8_000);
  });

  it("refuses output over the manifest's outputMb, and reports OUTPUT_TOO_LARGE to the requester", async function () {
    const task = await taskWithApp(
      `import { writeFileSync } from "node:fs";
       for (let i = 0; i < 4; i += 1) writeFileSync(process.env.CONTINUUM_OUTPUT + "/part" + i, Buffer.alloc(400 * 1024));`,
      { outputMb: 1 },
    );
    const outcome = expectCompleted(await runEnclaveTask(task, host({ secrets: sms(task.app.measurement) })));
    expect((await failureReportOf(outcome)).code).to.equal("OUTPUT_TOO_LARGE");
  });

  it("refuses an app that needs more memory than the worker gives as LIMITS_UNSATISFIABLE", async function () {
    const task = await taskWithApp("", { memoryMb: 4096 });
    expectFailed(await runEnclaveTask(task, host({ limits: { maxMemoryMb: 1024 } })), "LIMITS_UNSATISFIABLE");
  });

  it("kills the app and fails with CANCELLED when the task is cancelled", async function () {
    const task = await taskWithApp("setInterval(() => {}, 1000)");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1_500);
    const outcome = await runEnclaveTask(task, host({ secrets: sms(task.app.measurement) }), { signal: controller.signal });
    expectFailed(outcome, "CANCELLED");
  });

  it("blocks the app's network access through the whole pipeline", async function () {
    const task = await taskWithApp(`
      import { writeFileSync } from "node:fs";
      import { connect } from "node:net";
      const outcome = await new Promise((resolve) => {
        const socket = connect(9, "127.0.0.1");
        socket.on("connect", () => { socket.destroy(); resolve("connected"); });
        socket.on("error", (error) => resolve(error.code));
      });
      writeFileSync(process.env.CONTINUUM_OUTPUT + "/net.txt", outcome);`);
    const outcome = expectCompleted(await runEnclaveTask(task, host({ secrets: sms(task.app.measurement) })));
    if (!outcome.isolation?.networkIsolated) this.skip();
    const seen = await readFile(join(await decryptedOutput(outcome), "net.txt"), "utf8");
    expect(seen).to.equal("ENETUNREACH");
  });

  it("archives a multi-file output deterministically", async function () {
    const task = await taskWithApp(`
      import { mkdirSync, writeFileSync } from "node:fs";
      const out = process.env.CONTINUUM_OUTPUT;
      mkdirSync(out + "/charts");
      writeFileSync(out + "/summary.txt", "ok");
      writeFileSync(out + "/charts/a.csv", "1,2");`);
    const outcome = expectCompleted(await runEnclaveTask(task, host({ secrets: sms(task.app.measurement) })));
    const archive = decryptResult(await store.get(outcome.resultCid), beneficiaryKeys.privateKey);
    expect(readArchive(archive).map((entry) => entry.path)).to.deep.equal(["charts/a.csv", "summary.txt"]);
  });
});
