// Pipeline stages in the enclave runtime with real parts (deals on the in-process chain, a Helia
// store on disk, the simulated attestation platform, real app processes): a stage others read seals
// its output under its intermediate key, not to the requester; a reading stage opens its parents'
// outputs with the keys released to it and gets their files as inputs; only the final stage's
// output opens with the requester's result key; an output stored under another stage's name does
// not open. The SMS is the test stand-in, which here adds the stage keys the real SMS releases.
import { expect } from "chai";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hexlify, randomBytes } from "ethers";
import { DcapVerifier, PcsCollateralClient } from "../../../src/attestation/dcap/index.ts";
import { packBundle, unpackArchive } from "../../../src/apps/index.ts";
import { decryptResult, encryptDataset, generateResultKeyPair, resultPublicKeyToHex } from "../../../src/crypto/index.ts";
import { openStageOutput } from "../../../src/crypto/pipelineOutput.ts";
import { signAuthorization, signSessionRequest } from "../../../src/wire/eip712/index.ts";
import { stageRequestParams, type PipelineStage } from "../../../src/wire/pipelines/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";
import { FAILURE_REPORT_FILE } from "../../../enclave/failureReport.ts";
import { runEnclaveTask, type CompletedEnclaveTask, type EnclaveHost, type EnclaveTask, type EnclaveTaskOutcome, type SecretsClient, type StageKeys } from "../../../enclave/index.ts";
import { startTestAttestation, type TestAttestation } from "../../helpers/devnetAttestation.ts";
import { MAX_RUN_TIME, appOrder, datasetOrder, defaultOrders, emptyDatasetOrder, loadProtocol, matchDeal, requestOrder, type Fixture } from "../../helpers/protocolFixture.ts";
import { makeTempDir, removeDir } from "../../unit/enclave/enclaveTestKit.ts";
import { TestSecretsClient } from "./testSecretsClient.ts";

const STAGE_MERGE = fileURLToPath(new URL("../../../examples/apps/stage-merge/", import.meta.url));
const PIPELINE = hexlify(randomBytes(32));
const AIR = "district,pm25\nnorth,12\nsouth,31";

function expectCompleted(outcome: EnclaveTaskOutcome): CompletedEnclaveTask {
  if (outcome.status === "failed") expect.fail(`task failed: ${outcome.error.code} ${outcome.error.message}`);
  return outcome;
}

describe("pipeline stages in the enclave runtime", function () {
  let root: string;
  let store: HeliaContentStore;
  let f: Fixture;
  let attestation: TestAttestation;
  let host: Omit<EnclaveHost, "secrets">;
  let verifier: DcapVerifier;
  let app: { bundleCid: string; measurement: string };
  let datasetKey: Uint8Array;
  let dataset: { cid: string; checksum: string };
  const requesterKeys = generateResultKeyPair();
  const keys = { A: randomBytes(32), B: randomBytes(32) };
  const outputs: Record<string, string> = {};

  before(async function () {
    root = await makeTempDir();
    store = await HeliaContentStore.open({ directory: join(root, "ipfs") });
    attestation = await startTestAttestation();
    verifier = new DcapVerifier({ trustedRoot: attestation.dcap.rootCertificatePem });
    const encrypted = encryptDataset(Buffer.from(AIR));
    datasetKey = encrypted.key;
    dataset = { cid: await store.add(encrypted.encrypted), checksum: encrypted.checksum };
    const packed = await packBundle(STAGE_MERGE);
    app = { bundleCid: await store.add(packed.bytes), measurement: packed.measurement };
    f = await loadProtocol();
    await f.apps.registerApp(f.appOwner.address, "stage-merge", app.bundleCid, packed.checksum, packed.measurement);
    await f.datasets.registerDataset(f.datasetOwner.address, "air quality", dataset.cid, dataset.checksum);
    host = {
      store,
      platform: await attestation.quotingPlatform(),
      authorize: (authorization) => signAuthorization(f.poolOwner, f.domain, authorization),
      signSessionRequest: (message) => signSessionRequest(f.worker, f.domain, message),
      domain: f.domain,
      workDirectory: root,
    };
  });

  after(async function () {
    await store?.stop();
    await attestation?.close();
    await removeDir(root);
  });

  /** The stand-in SMS, releasing `stageKeys` (copies) beside the dataset key. */
  function sms(stageKeys: StageKeys): SecretsClient {
    const inner = new TestSecretsClient({
      verifier,
      collateral: new PcsCollateralClient({ baseUrl: attestation.collateral.url }),
      domain: f.domain,
      measurement: app.measurement,
      workerpoolOwner: f.poolOwner.address,
      datasetKey,
    });
    const copy = (key: { stage: string; key: Uint8Array }) => ({ stage: key.stage, key: key.key.slice() });
    return {
      requestSession: async (request) => ({
        ...(await inner.requestSession(request)),
        stageKeys: { ...stageKeys, inputs: stageKeys.inputs.map(copy), output: stageKeys.output && copy(stageKeys.output) },
      }),
    };
  }

  /** A matched deal for stage `id` (app 2; dataset 2 when it reads the dataset), as the task the worker gets. */
  async function stageTask(id: string, readsDataset: boolean): Promise<EnclaveTask> {
    const stage: PipelineStage = { id, app: "2", inputs: [], category: "1", prices: { app: "5", dataset: "3", workerpool: "10" } };
    const params = stageRequestParams(PIPELINE, stage);
    const orders = await defaultOrders(f, {
      app: await appOrder(f, { app: 2n }),
      dataset: readsDataset ? await datasetOrder(f, { dataset: 2n, appRestrict: 2n }) : emptyDatasetOrder(),
      request: await requestOrder(f, {
        app: 2n,
        dataset: readsDataset ? 2n : 0n,
        datasetMaxPrice: readsDataset ? 3n : 0n,
        params,
        resultPublicKey: resultPublicKeyToHex(requesterKeys.publicKey),
      }),
    });
    const { deal, dealId } = await matchDeal(f, orders);
    return {
      deal,
      dealId,
      taskIndex: 0n,
      attempt: 1,
      dealBlock: 0,
      worker: f.worker.address,
      params,
      app,
      ...(readsDataset ? { dataset } : {}),
      maxRunTimeSeconds: Number(MAX_RUN_TIME),
    };
  }

  async function unpacked(archive: Uint8Array): Promise<string> {
    const directory = join(root, `out-${hexlify(randomBytes(4))}`);
    await unpackArchive(archive, directory);
    return directory;
  }

  it("seals a read stage's output under its intermediate key, which the requester's key does not open", async function () {
    for (const [stage, readsDataset] of [["A", true], ["B", false]] as const) {
      const task = await stageTask(stage, readsDataset);
      const outcome = expectCompleted(await runEnclaveTask(task, { ...host, secrets: sms({ pipeline: PIPELINE, stage, inputs: [], output: { stage, key: keys[stage] } }) }));
      outputs[stage] = outcome.resultCid;
      const sealed = await store.get(outcome.resultCid);
      expect(() => decryptResult(sealed, requesterKeys.privateKey)).to.throw();
      expect(openStageOutput(sealed, keys[stage], PIPELINE, stage === "A" ? "B" : "A")).to.equal(undefined);
      const merged = await readFile(join(await unpacked(openStageOutput(sealed, keys[stage], PIPELINE, stage)!), "merged.txt"), "utf8");
      expect(merged.startsWith(`# stage ${stage}\n`)).to.equal(true);
      if (readsDataset) expect(merged).to.contain("south,31");
    }
  });

  it("gives the final stage its parents' outputs as input files and seals its output to the requester", async function () {
    const task = { ...(await stageTask("C", false)), stageOutputs: [{ stage: "A", resultCid: outputs.A! }, { stage: "B", resultCid: outputs.B! }] };
    const stageKeys = { pipeline: PIPELINE, stage: "C", inputs: [{ stage: "A", key: keys.A }, { stage: "B", key: keys.B }], output: null };
    const outcome = expectCompleted(await runEnclaveTask(task, { ...host, secrets: sms(stageKeys) }));
    const directory = await unpacked(decryptResult(await store.get(outcome.resultCid), requesterKeys.privateKey));
    const merged = await readFile(join(directory, "merged.txt"), "utf8");
    expect(merged).to.contain("## from stage A: merged.txt\n# stage A\n## dataset\ndistrict,pm25");
    expect(merged).to.contain("## from stage B: merged.txt\n# stage B");
  });

  it("refuses an output stored under another stage's name: the stage's result is a failure report to the requester", async function () {
    const task = { ...(await stageTask("C", false)), stageOutputs: [{ stage: "A", resultCid: outputs.B! }, { stage: "B", resultCid: outputs.B! }] };
    const stageKeys = { pipeline: PIPELINE, stage: "C", inputs: [{ stage: "A", key: keys.A }, { stage: "B", key: keys.B }], output: null };
    const outcome = expectCompleted(await runEnclaveTask(task, { ...host, secrets: sms(stageKeys) }));
    expect(outcome.failure?.code).to.equal("STAGE_INPUT_UNREADABLE");
    const directory = await unpacked(decryptResult(await store.get(outcome.resultCid), requesterKeys.privateKey));
    expect(JSON.parse(await readFile(join(directory, FAILURE_REPORT_FILE), "utf8")).code).to.equal("STAGE_INPUT_UNREADABLE");
  });

  it("fails without a result, to be retried, when the scheduler names no location for a stage it reads", async function () {
    const task = { ...(await stageTask("C", false)), stageOutputs: [{ stage: "B", resultCid: outputs.B! }] };
    const stageKeys = { pipeline: PIPELINE, stage: "C", inputs: [{ stage: "A", key: keys.A }, { stage: "B", key: keys.B }], output: null };
    const outcome = await runEnclaveTask(task, { ...host, secrets: sms(stageKeys) });
    expect(outcome.status).to.equal("failed");
    if (outcome.status === "failed") expect(outcome.error.code).to.equal("STAGE_INPUT_MISSING");
  });
});
