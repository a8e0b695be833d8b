// Two SMS replicas on one PostgreSQL database, sharing the master key, and the real enclave runtime
// holding both URLs: a replica that answers no more (its answer lost after it decided, or the
// replica gone) is left for the other. No task's secrets reach two enclaves, and every decision a
// replica made is in the shared audit log once.
import { expect } from "chai";
import { createServer, request as httpRequest, type Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Wallet, hexlify, randomBytes } from "ethers";
import pg from "pg";
import { packBundle } from "../../../src/apps/index.ts";
import { encryptDataset, generateResultKeyPair, resultPublicKeyToHex } from "../../../src/crypto/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { signAuthorization, signSessionRequest } from "../../../src/wire/eip712/index.ts";
import { HttpSecretsClient, runEnclaveTask, simulatedQuotingPlatform, type EnclaveHost, type EnclaveTask } from "../../../enclave/index.ts";
import { startSms, type RunningSms } from "../../../sms/startSms.ts";
import { generateWardVitals, wardVitalsToCsv } from "../../../examples/datasets/wardVitals.ts";
import { HONEST_PLATFORM } from "../../helpers/devnetAttestation.ts";
import { appOrder, datasetOrder, defaultOrders, loadProtocol, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import { pushSecret, startHarness, type Harness } from "./smsHarness.ts";

const WARD_STATS = fileURLToPath(new URL("../../../examples/apps/ward-stats-node/", import.meta.url));
const POSTGRES = "postgres://postgres@127.0.0.1:5432";
const PARAMS = '{"thresholds":{"spo2":{"min":91}}}';

/** A relay to `target` that passes requests on but, while `dropAnswers` is set, cuts the connection instead of answering sessions. */
async function lossyRelay(target: string): Promise<{ url: string; dropAnswers: boolean; close(): Promise<void> }> {
  const relay = { url: "", dropAnswers: false, close: async () => undefined as void };
  const server: Server = createServer((incoming, outgoing) => {
    const dropping = relay.dropAnswers && incoming.method === "POST" && incoming.url === "/v1/sessions";
    const upstream = httpRequest(new URL(incoming.url ?? "/", target), { method: incoming.method, headers: incoming.headers }, (answer) => {
      if (dropping) {
        // The replica decided and answered; its answer never arrives, as if it died right then.
        answer.resume();
        answer.on("end", () => outgoing.socket?.destroy());
        return;
      }
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  relay.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  relay.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return relay;
}

/** The failure's code and message, for an assertion's message. */
function whyNot(outcome: Awaited<ReturnType<typeof runEnclaveTask>>): string {
  return outcome.status === "failed" ? `${outcome.error.code}: ${outcome.error.message}` : "completed";
}

describe("SMS replicas on one PostgreSQL database", function () {
  this.timeout(300_000);
  const database = `continuum_sms_replicas_${hexlify(randomBytes(4)).slice(2)}`;
  const admin = new pg.Client({ connectionString: `${POSTGRES}/postgres` });
  let h: Harness;
  let second: RunningSms;
  let root: TemporaryDirectory;
  let store: HeliaContentStore;
  let app: { bundleCid: string; measurement: string; checksum: string };
  let dataset: { cid: string; checksum: string };
  const workerKey = Wallet.createRandom();
  const beneficiary = generateResultKeyPair();

  before(async function () {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    h = await startHarness({ minIsvSvn: 1, protocol: loadProtocol, databaseUrl: `${POSTGRES}/${database}` });
    // The second replica: the same configuration (database, master key, signer), another port.
    second = await startSms({ config: h.config, provider: h.f.ethers.provider, deployment: h.f.deployment });
    expect(second.signer).to.equal(h.sms.signer);
    root = await createTemporaryDirectory("continuum-sms-replicas-");
    store = await HeliaContentStore.open({ directory: join(root.path, "ipfs") });
    const { f } = h;
    const packed = await packBundle(WARD_STATS);
    const encrypted = encryptDataset(Buffer.from(wardVitalsToCsv(generateWardVitals({ seed: 3 }))));
    app = { bundleCid: await store.add(packed.bytes), measurement: packed.measurement, checksum: packed.checksum };
    dataset = { cid: await store.add(encrypted.encrypted), checksum: encrypted.checksum };
    await f.apps.registerApp(f.appOwner.address, "ward-stats", app.bundleCid, packed.checksum, packed.measurement);
    await f.datasets.registerDataset(f.datasetOwner.address, "ward vitals", dataset.cid, encrypted.checksum);
    const pushed = await pushSecret(h, { kind: "dataset", asset: 2n, owner: f.datasetOwner.address, signer: f.datasetOwner, value: encrypted.key });
    expect(pushed.result.status, pushed.result.text).to.equal(201);
  });

  after(async function () {
    await store?.stop();
    await second?.close();
    await h?.close();
    await root?.remove();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  });

  async function tasksOfNewDeal(volume: bigint): Promise<EnclaveTask[]> {
    const { f } = h;
    const orders = await defaultOrders(f, {
      app: await appOrder(f, { app: 2n }),
      dataset: await datasetOrder(f, { dataset: 2n, appRestrict: 2n }),
      request: await requestOrder(f, { app: 2n, dataset: 2n, volume, params: PARAMS, resultPublicKey: resultPublicKeyToHex(beneficiary.publicKey) }),
    });
    const { dealId, deal, receipt } = await matchDeal(f, orders);
    return Array.from({ length: Number(volume) }, (_, index) => ({
      deal,
      dealId,
      taskIndex: BigInt(index),
      attempt: 1,
      dealBlock: receipt.blockNumber,
      worker: workerKey.address,
      params: PARAMS,
      app,
      dataset,
      maxRunTimeSeconds: 60,
    }));
  }

  function host(urls: string[]): EnclaveHost {
    const { f } = h;
    return {
      store,
      platform: simulatedQuotingPlatform(h.platform, HONEST_PLATFORM),
      secrets: new HttpSecretsClient({ baseUrl: urls }),
      // The workerpool owner authorizes, the worker vouches for its enclave's session.
      authorize: (authorization) => signAuthorization(f.poolOwner, f.domain, authorization),
      signSessionRequest: (message) => signSessionRequest(workerKey, f.domain, message),
      domain: f.domain,
    };
  }

  async function shared<T extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<T[]> {
    const client = new pg.Client({ connectionString: `${POSTGRES}/${database}` });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Per task: the enclaves bound to it and the enclaves of the releases the audit log records. */
  async function decisions(taskIds: string[]) {
    const bindings = await shared<{ task_id: string; attempt: number; enclave: string }>(
      "SELECT task_id, attempt, enclave FROM sms.sms_enclave_binding WHERE task_id = ANY($1)",
      [taskIds],
    );
    const releases = await shared<{ task_id: string; enclave: string }>(
      "SELECT task_id, enclave FROM sms.sms_audit WHERE action = 'session' AND outcome = 'released' AND task_id = ANY($1) ORDER BY id",
      [taskIds],
    );
    return { bindings, releases };
  }

  it("serves a session on either replica, and one replica's enclave binding holds on the other", async function () {
    const [task] = await tasksOfNewDeal(1n);
    const outcome = await runEnclaveTask(task!, host([second.url]));
    expect(outcome.status, whyNot(outcome)).to.equal("completed");
    const other = await runEnclaveTask(task!, host([h.url]));
    expect(other.status).to.equal("failed");
    expect(other.status === "failed" && other.error.details).to.deep.include({ reason: "ENCLAVE_ALREADY_BOUND" });
  });

  it("starts the exchange again at the other replica when the first decided but its answer was lost, with the same enclave", async function () {
    const relay = await lossyRelay(h.url);
    try {
      relay.dropAnswers = true;
      const [task] = await tasksOfNewDeal(1n);
      const outcome = await runEnclaveTask(task!, host([relay.url, second.url]));
      expect(outcome.status, whyNot(outcome)).to.equal("completed");
      const enclave = outcome.status === "completed" ? outcome.enclaveAddress.toLowerCase() : "";
      const taskId = outcome.taskId.toLowerCase();
      const { bindings, releases } = await decisions([taskId]);
      expect(bindings).to.deep.equal([{ task_id: taskId, attempt: 1, enclave }]);
      // Both replicas released, each once, and both to the one enclave bound to the attempt.
      expect(releases).to.deep.equal([{ task_id: taskId, enclave }, { task_id: taskId, enclave }]);
    } finally {
      await relay.close();
    }
  });

  it("keeps every task running on the other replica when one stops under load", async function () {
    const tasks = await tasksOfNewDeal(6n);
    const client = host([h.url, second.url]);
    const runs = tasks.map((task, index) =>
      // The first replica stops once the first sessions are under way.
      (index === 2 ? h.sms.close() : Promise.resolve()).then(() => runEnclaveTask(task, client)),
    );
    const outcomes = await Promise.all(runs);
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(new Array(6).fill("completed"));
    const taskIds = outcomes.map((outcome) => outcome.taskId.toLowerCase());
    const { bindings, releases } = await decisions(taskIds);
    for (const [index, outcome] of outcomes.entries()) {
      const enclave = outcome.status === "completed" ? outcome.enclaveAddress.toLowerCase() : "";
      expect(bindings.filter((row) => row.task_id === taskIds[index]), `task ${index}: one enclave for its attempt`).to.deep.equal([
        { task_id: taskIds[index], attempt: 1, enclave },
      ]);
      // Once, or again by the other replica to the same enclave when the first stopped before answering.
      const released = releases.filter((row) => row.task_id === taskIds[index]);
      expect(released.length, `task ${index}: released`).to.be.within(1, 2);
      expect(new Set(released.map((row) => row.enclave)), `task ${index}: to its bound enclave only`).to.deep.equal(new Set([enclave]));
    }
  });
});
