// The scheduler and its workers end to end with real parts: the in-process Hardhat chain, the real
// SMS over HTTP, a Helia store on disk, PGlite, real HTTP between workers and scheduler, and the
// ward-stats app sealed by the enclave runtime. Results are pushed on-chain by the scheduler with
// the SMS's attestation of their enclave, and failures the SMS blamed on another party with its verdict.
import { expect } from "chai";
import { mkdir } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Wallet, type HDNodeWallet } from "ethers";
import { packBundle, runtimeProfileDigest, WASI_PROFILE } from "../../../src/apps/index.ts";
import { loadConfig } from "../../../src/config/index.ts";
import { encryptDataset, generateResultKeyPair, resultPublicKeyToHex } from "../../../src/crypto/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { HttpSecretsClient, simulatedQuotingPlatform } from "../../../enclave/index.ts";
import { HONEST_PLATFORM } from "../../helpers/devnetAttestation.ts";
import { signWorkerRequest } from "../../../src/wire/workerApi/workerRequestSignature.ts";
import { TaskRepository } from "../../../scheduler/persistence/index.ts";
import { startScheduler, type RunningScheduler } from "../../../scheduler/startScheduler.ts";
import { Worker } from "../../../worker/Worker.ts";
import { generateWardVitals, wardVitalsToCsv } from "../../../examples/datasets/wardVitals.ts";
import { appOrder, connection, datasetOrder, defaultOrders, loadProtocol, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import { pushSecret, startHarness, type Harness } from "../sms/smsHarness.ts";
import { freePort } from "../../helpers/freePort.ts";
import { until } from "../../helpers/until.ts";

const WARD_STATS = fileURLToPath(new URL("../../../examples/apps/ward-stats-node/", import.meta.url));
const PARAMS = '{"thresholds":{"spo2":{"min":91}}}';

/**
 * An HTTP relay to the scheduler that cuts the connection of the first `drops` result reports,
 * as a scheduler going down at that moment would; everything else passes through.
 */
async function flakyRelay(target: string, drops: number): Promise<{ url: string; resultPosts: () => number; close: () => Promise<void> }> {
  let resultPosts = 0;
  const server: Server = createServer((incoming, outgoing) => {
    if (incoming.method === "POST" && /^\/v1\/tasks\/0x[0-9a-f]{64}\/result$/i.test(incoming.url ?? "")) {
      resultPosts += 1;
      if (resultPosts <= drops) {
        incoming.resume();
        incoming.socket.destroy();
        return;
      }
    }
    const upstream = httpRequest(new URL(incoming.url ?? "/", target), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    resultPosts: () => resultPosts,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}


describe("scheduler with workers", function () {
  this.timeout(180_000);
  let h: Harness;
  let root: TemporaryDirectory;
  let store: HeliaContentStore;
  let scheduler: RunningScheduler | undefined;
  const workers: Worker[] = [];
  const beneficiary = generateResultKeyPair();

  before(async function () {
    // The harness's SMS signs with SMS_KEY, the signer this protocol registers.
    h = await startHarness({ minIsvSvn: 1, protocol: loadProtocol });
    root = await createTemporaryDirectory("continuum-scheduler-e2e-");
    store = await HeliaContentStore.open({ directory: join(root.path, "ipfs") });
    const { f } = h;
    const encrypted = encryptDataset(Buffer.from(wardVitalsToCsv(generateWardVitals({ seed: 7 }))));
    const packed = await packBundle(WARD_STATS);
    await f.apps.registerApp(f.appOwner.address, "ward-stats", await store.add(packed.bytes), packed.checksum, packed.measurement);
    await f.datasets.registerDataset(f.datasetOwner.address, "ward vitals", await store.add(encrypted.encrypted), encrypted.checksum);
    const pushed = await pushSecret(h, { kind: "dataset", asset: 2n, owner: f.datasetOwner.address, signer: f.datasetOwner, value: encrypted.key });
    expect(pushed.result.status, pushed.result.text).to.equal(201);
  });

  after(async function () {
    for (const worker of workers.splice(0)) await worker.halt();
    await scheduler?.close();
    await store?.stop();
    await h?.close();
    await root?.remove();
  });

  async function newDeal(volume: bigint, params = PARAMS): Promise<string> {
    const { f } = h;
    const orders = await defaultOrders(f, {
      app: await appOrder(f, { app: 2n }),
      dataset: await datasetOrder(f, { dataset: 2n, appRestrict: 2n }),
      request: await requestOrder(f, {
        app: 2n,
        dataset: 2n,
        volume,
        params,
        resultPublicKey: resultPublicKeyToHex(beneficiary.publicKey),
      }),
    });
    return (await matchDeal(f, orders)).dealId;
  }

  /** On a port outside the ephemeral range: the restart test reuses it. */
  async function launchScheduler(port?: number): Promise<RunningScheduler> {
    port ??= await freePort();
    return startScheduler({
      config: loadConfig({
        env: {},
        overrides: {
          dataDir: root.path,
          scheduler: { port, heartbeatIntervalMs: 300, missedHeartbeats: 3, batchSize: 2, batchDelayMs: 1_500, indexIntervalMs: 200, maxPollWaitMs: 1_000 },
        },
      }),
      owner: h.f.poolOwner,
      provider: h.f.ethers.provider,
      deployment: h.f.deployment,
      workerpool: 1n,
      database: { pgliteDir: join(root.path, "scheduler-db") },
    });
  }

  async function launchWorker(key: HDNodeWallet = Wallet.createRandom(), schedulerUrl?: string): Promise<Worker> {
    const work = join(root.path, `work-${key.address}`);
    await mkdir(work, { recursive: true });
    const worker = new Worker({
      schedulerUrl: schedulerUrl ?? scheduler!.url,
      key,
      capabilities: { cpu: 2, memoryMb: 2048, tee: true, gpu: 0 },
      store,
      platform: simulatedQuotingPlatform(h.platform, HONEST_PLATFORM),
      secrets: new HttpSecretsClient({ baseUrl: h.url }),
      workDirectory: work,
      pollWaitMs: 500,
    });
    await worker.start();
    workers.push(worker);
    return worker;
  }

  async function tasksOf(dealId: string) {
    return new TaskRepository(scheduler!.db).tasksOfDeal(dealId);
  }

  async function resultEvents(dealId: string) {
    const { continuum } = h.f;
    return continuum.queryFilter(continuum.filters.ResultPushed(dealId));
  }

  it("runs a deal of volume 2 on two workers and pushes both results in one batch", async function () {
    scheduler = await launchScheduler();
    const dealId = await newDeal(2n);
    const [first, second] = [await launchWorker(), await launchWorker()];
    const tasks = await until("both tasks completed", async () => {
      const rows = await tasksOf(dealId);
      return rows.length === 2 && rows.every((row) => row.state === "completed") && rows;
    });
    expect(new Set(tasks.map((task) => task.pushTx)).size, "one batch transaction").to.equal(1);
    expect(first.completed + second.completed).to.equal(2);
    const events = await resultEvents(dealId);
    expect(events.map((event) => Number((event as unknown as { args: { index: bigint } }).args.index)).sort()).to.deep.equal([0, 1]);
    expect(new Set(events.map((event) => event.transactionHash))).to.deep.equal(new Set([tasks[0]!.pushTx]));
    for (const worker of workers.splice(0)) await worker.stop();
  });

  it("settles on-chain, at once and in one attempt, a task the requester made impossible, and the pool is paid", async function () {
    scheduler ??= await launchScheduler();
    const { f } = h;
    const dealId = await newDeal(1n, JSON.stringify({ thresholds: { spo2: { min: 91 } }, requesterSecrets: ["never-stored"] }));
    const poolBefore = await f.continuum.balanceOf(f.poolOwner.address);
    await launchWorker();
    const [task] = await until("the task failed for good", async () => {
      const rows = await tasksOf(dealId);
      return rows.length === 1 && rows[0]!.state === "failed" && rows;
    });
    expect(task).to.include({ errorCode: "REQUESTER_CAUSED", attempt: 1 });
    const failed = await f.continuum.queryFilter(f.continuum.filters.TaskFailed(dealId));
    expect(failed.map((event) => (event as unknown as { args: { cause: bigint; attempt: bigint } }).args).map((args) => [Number(args.cause), Number(args.attempt)])).to.deep.equal([[1, 1]]);
    expect(await f.continuum.balanceOf(f.poolOwner.address), "the pool is paid for its work").to.be.greaterThan(poolBefore);
    expect(await resultEvents(dealId)).to.deep.equal([]);
    for (const worker of workers.splice(0)) await worker.stop();
  });

  it("reassigns the task of a worker that stops heartbeating mid-task, and completes it", async function () {
    const dealId = await newDeal(1n);
    const lost = await launchWorker();
    const running = await until("task running on the first worker", async () => {
      const [task] = await tasksOf(dealId);
      return task && ["assigned", "running"].includes(task.state) && task.worker === lost.address.toLowerCase() && task;
    });
    await lost.halt();
    workers.splice(workers.indexOf(lost), 1);
    const rescuer = await launchWorker();
    const [done] = await until("task completed", async () => {
      const rows = await tasksOf(dealId);
      return rows[0]?.state === "completed" && rows;
    });
    expect(done!.worker).to.equal(rescuer.address.toLowerCase());
    const attempts = await new TaskRepository(scheduler!.db).attempts(running.taskId);
    // A worker stopped by the previous test may have been handed the task by its last poll: it
    // is lost like the halted one.
    const outcomes = attempts.map((attempt) => [attempt.worker, attempt.outcome]);
    expect(outcomes).to.deep.include([lost.address.toLowerCase(), "lost"]);
    expect(outcomes[outcomes.length - 1]).to.deep.equal([rescuer.address.toLowerCase(), "result"]);
    expect(outcomes.slice(0, -1).every(([, outcome]) => outcome === "lost")).to.equal(true);
    expect(await resultEvents(dealId)).to.have.length(1);
    for (const worker of workers.splice(0)) await worker.stop();
  });

  it("resumes a deal after the scheduler is closed and restarted: every task completes exactly once", async function () {
    const dealId = await newDeal(3n);
    await launchWorker();
    await until("a first result", async () => (await tasksOf(dealId)).some((task) => ["result_uploaded", "pushed", "completed"].includes(task.state)));
    const port = scheduler!.port;
    await scheduler!.close();
    scheduler = await launchScheduler(port);
    const tasks = await until("every task completed", async () => {
      const rows = await tasksOf(dealId);
      return rows.length === 3 && rows.every((row) => row.state === "completed") && rows;
    }, 120_000);
    const events = await resultEvents(dealId);
    expect(events.map((event) => Number((event as unknown as { args: { index: bigint } }).args.index)).sort()).to.deep.equal([0, 1, 2]);
    expect(tasks.every((task) => task.pushTx !== null)).to.equal(true);
    for (const worker of workers.splice(0)) await worker.stop();
  });

  it("answers invalid worker requests with 4xx codes", async function () {
    const key = Wallet.createRandom();
    const info = (await (await fetch(`${scheduler!.url}/v1/info`)).json()) as { workerpoolOwner: string; workerpool: string };
    const identity = { owner: info.workerpoolOwner as string, workerpool: BigInt(info.workerpool) };
    const send = async (method: string, path: string, body: unknown, signer: HDNodeWallet | null = key, timestampMs = Date.now()) => {
      const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (signer) Object.assign(headers, await signWorkerRequest(signer, identity, { method, path, timestampMs, body: text }));
      const response = await fetch(`${scheduler!.url}${path}`, { method, headers, body: body === undefined ? undefined : text });
      const json = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
      return { status: response.status, code: json?.error?.code as string | undefined };
    };
    const capabilities = { cpu: 1, memoryMb: 512, tee: true, gpu: 0 };
    const taskId = `0x${"11".repeat(32)}`;

    expect(await send("POST", "/v1/workers", { capabilities }, null)).to.deep.equal({ status: 401, code: "BAD_SIGNATURE" });
    expect(await send("POST", "/v1/workers", { capabilities }, key, Date.now() - 600_000)).to.deep.equal({ status: 401, code: "STALE_REQUEST" });
    expect(await send("POST", "/v1/workers", { capabilities: { ...capabilities, cpu: 0 } })).to.deep.equal({ status: 400, code: "INVALID_REQUEST" });
    expect(await send("POST", "/v1/workers", "{not json")).to.deep.equal({ status: 400, code: "MALFORMED_JSON" });
    expect(await send("POST", `/v1/workers/${key.address}/heartbeat`, {})).to.deep.equal({ status: 404, code: "WORKER_NOT_FOUND" });
    expect((await send("POST", "/v1/workers", { capabilities })).status).to.equal(201);
    const wasi = { runtime: "wasi", profile: runtimeProfileDigest(WASI_PROFILE) };
    expect(await send("POST", "/v1/workers", { capabilities: { ...capabilities, runtimes: [{ runtime: "cobol" }] } })).to.deep.equal({ status: 400, code: "INVALID_REQUEST" });
    expect((await send("POST", "/v1/workers", { capabilities: { ...capabilities, runtimes: [wasi] } })).status).to.equal(201);
    const offered = ((await (await fetch(`${scheduler!.url}/v1/info`)).json()) as { runtimes: { runtime: string; profile?: string }[] }).runtimes;
    expect(offered.map((offer) => [offer.runtime, offer.profile])).to.deep.include([wasi.runtime, wasi.profile]);
    const other = Wallet.createRandom().address;
    expect(await send("POST", `/v1/workers/${other}/heartbeat`, {})).to.deep.equal({ status: 401, code: "BAD_SIGNATURE" });
    expect(await send("GET", `/v1/workers/${key.address}/next-task?waitMs=soon`, undefined)).to.deep.equal({ status: 400, code: "INVALID_REQUEST" });
    expect(await send("POST", "/v1/tasks/0x12/progress", { stage: "x" })).to.deep.equal({ status: 400, code: "INVALID_REQUEST" });
    expect(await send("POST", `/v1/tasks/${taskId}/progress`, { stage: "x" })).to.deep.equal({ status: 404, code: "TASK_NOT_FOUND" });
    expect(await send("POST", `/v1/tasks/${taskId}/authorization`, { enclave: "0x1234" })).to.deep.equal({ status: 400, code: "INVALID_REQUEST" });
    expect(await send("POST", `/v1/tasks/${taskId}/failure`, { code: "lower case" })).to.deep.equal({ status: 400, code: "INVALID_REQUEST" });
    expect(await send("GET", "/v1/nowhere", undefined)).to.deep.equal({ status: 404, code: "ROUTE_NOT_FOUND" });
  });

  it("judges deadlines by chain time: a task whose deadline passed on-chain is failed, not assigned", async function () {
    for (const worker of workers.splice(0)) await worker.halt();
    scheduler ??= await launchScheduler();
    const dealId = await newDeal(1n);
    await until("the deal's task", async () => (await tasksOf(dealId)).length === 1);
    // The chain moves a day ahead; the host's clock does not.
    await connection.networkHelpers.time.increase(86_400);
    const [task] = await until("the task to fail", async () => {
      const tasks = await tasksOf(dealId);
      return tasks[0]?.state === "failed" && tasks;
    });
    expect(task.errorCode).to.equal("DEADLINE_TOO_CLOSE");
  });

  it("keeps a result whose report could not reach the scheduler: the worker reports it again, no second attempt", async function () {
    for (const worker of workers.splice(0)) await worker.halt();
    scheduler ??= await launchScheduler();
    const relay = await flakyRelay(scheduler.url, 2);
    try {
      const dealId = await newDeal(1n);
      const worker = await launchWorker(Wallet.createRandom(), relay.url);
      const [task] = await until("the task completed", async () => {
        const rows = await tasksOf(dealId);
        return rows[0]?.state === "completed" && rows;
      }, 120_000);
      expect(relay.resultPosts()).to.equal(3);
      expect(worker.completed).to.equal(1);
      const attempts = await new TaskRepository(scheduler.db).attempts(task!.taskId);
      expect(attempts.map((attempt) => [attempt.worker, attempt.outcome])).to.deep.equal([[worker.address.toLowerCase(), "result"]]);
      expect(await resultEvents(dealId)).to.have.length(1);
    } finally {
      for (const worker of workers.splice(0)) await worker.halt();
      await relay.close();
    }
  });
});
