// Fault tolerance on the whole devnet stack (one devnet for the describe): a worker killed in the
// middle of a task, the scheduler restarted in the middle of a deal, a deadline that passes with
// nobody to run the task, and a dataset order that names another app. Everything is real: the
// Hardhat chain, the market's matcher and ledger, the SMS, Helia, the scheduler and its workers.
// The cases run in order on one stack: the last one stops the workers.
import { expect } from "chai";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Contract, Wallet, type EventLog } from "ethers";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import { E_HEALTH_PRICES, prepareEHealthMarket, submitEHealthRequest, type EHealthMarket } from "../../src/demo/eHealthMarket.ts";
import { DEMO_ROLES } from "../../src/demo/roleCli.ts";
import { DEVNET_POOL_OWNER_ACCOUNT } from "../../src/devnet/devnetWorkerpool.ts";
import { devnetPrivateKey } from "../../src/devnet/devnetKeys.ts";
import { DEVNET_SCHEDULER_DATABASE, type Devnet } from "../../src/devnet/startDevnet.ts";
import { databaseTarget } from "../../src/config/index.ts";
import type { RequestStatusJson } from "../../src/wire/marketApi/requestStatus.ts";
import { HttpSecretsClient, simulatedQuotingPlatform } from "../../enclave/index.ts";
import { DEVNET_PLATFORM } from "../../src/devnet/devnetAttestation.ts";
import { startScheduler, type RunningScheduler } from "../../scheduler/index.ts";
import { startWorker, type RunningWorker } from "../../worker/index.ts";
import { TaskRepository } from "../../scheduler/persistence/index.ts";
import { dealFromJson } from "../../src/wire/workerApi/assignment.ts";
import { readDatasetAudit } from "../helpers/smsAudit.ts";
import { eventually, startTestDevnet, type TestDevnet } from "../helpers/testDevnet.ts";

const SLOW_APP = fileURLToPath(new URL("../../examples/apps/slow-count/", import.meta.url));
const HEARTBEAT_MS = 1_000;
const BATCH_DELAY_MS = 1_000;

describe("fault tolerance on the devnet", function () {
  this.timeout(180_000);
  let stack: TestDevnet;
  let devnet: Devnet;
  let market: EHealthMarket;
  let continuum: Contract;
  let scheduler: RunningScheduler;
  let slowApp: string;
  const extraWorkers: RunningWorker[] = [];

  before(async function () {
    // Fast heartbeats so a silent worker is noticed in 3 s rather than 15 s.
    stack = await startTestDevnet({
      env: { CONTINUUM_SCHEDULER_HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS), CONTINUUM_SCHEDULER_BATCH_DELAY_MS: String(BATCH_DELAY_MS) },
    });
    devnet = stack.devnet;
    scheduler = devnet.compute!.scheduler;
    continuum = new Contract(devnet.deployment.continuum, loadArtifact("Continuum").abi as never, devnet.provider);
    market = await prepareEHealthMarket({
      dataDir: stack.dataDir,
      marketUrl: devnet.endpoints.marketUrl,
      smsUrl: devnet.endpoints.smsUrl,
      workerpool: devnet.compute!.workerpool,
      workDir: join(stack.dataDir, "faults"),
      days: 2,
    });
    const deployed = await market.cli.json("appDeveloper", ["app", "deploy", SLOW_APP, "--name", "slow-count"]);
    slowApp = String(deployed.id ?? deployed.app);
    await market.cli.json("appDeveloper", ["app", "order", "publish", "--app", slowApp, "--price", E_HEALTH_PRICES.app, "--volume", "10"]);
  });

  after(async function () {
    for (const running of [...(devnet?.compute?.workers ?? []), ...extraWorkers]) await running.close({ abandon: true });
    if (scheduler !== devnet?.compute?.scheduler) await scheduler?.close();
    await stack?.close();
  });

  async function requestStatus(hash: string): Promise<RequestStatusJson> {
    const response = await fetch(`${devnet.endpoints.marketUrl}/v1/requests/${hash}`);
    expect(response.status, `GET /v1/requests/${hash}`).to.equal(200);
    return (await response.json()) as RequestStatusJson;
  }

  async function dealOf(hash: string): Promise<string> {
    return eventually(`a deal for request ${hash}`, async () => (await requestStatus(hash)).deals[0]?.dealId, 30_000);
  }

  async function schedulerTasks(dealId: string) {
    return new TaskRepository(scheduler.db).tasksOfDeal(dealId);
  }

  async function resultIndexes(dealId: string): Promise<number[]> {
    const events = (await continuum.queryFilter(continuum.filters.ResultPushed!(dealId), 0)) as EventLog[];
    return events.map((event) => Number(event.args.index)).sort();
  }

  it("forms no deal for a dataset order restricted to another app, while the matcher keeps matching", async () => {
    const restricted = await submitEHealthRequest(market, { app: slowApp });
    const control = await submitEHealthRequest(market);
    // The control request entered the book after the restricted one: once it has a deal, the
    // matcher has passed over the restricted request; a few more rounds must not change that.
    await dealOf(control);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const status = await requestStatus(restricted);
    expect(status).to.include({ status: "open", matchedVolume: "0" });
    expect(status.deals).to.deep.equal([]);
    expect(status.book?.status).to.equal("open");
    const deals = (await continuum.queryFilter(continuum.filters.DealCreated!(), 0)) as EventLog[];
    const requestsMatched = deals.map((event) => String(event.args.deal.requestHash).toLowerCase());
    expect(requestsMatched).to.include(control.toLowerCase());
    expect(requestsMatched).not.to.include(restricted.toLowerCase());
    await eventually("the control request completed", async () => (await requestStatus(control)).status === "completed");
    // Off the book, so the dataset order for the slow app published next cannot pick it up.
    await market.cli.json("healthDepartment", ["request", "unpublish", restricted]);
  });

  it("reassigns the task of a worker killed while running it to the other worker, which completes it", async () => {
    const hospital = devnet.accounts[DEMO_ROLES.hospital]!;
    await market.cli.json("hospital", [
      "dataset", "order", "publish", "--dataset", market.datasetId, "--app", slowApp, "--price", E_HEALTH_PRICES.dataset, "--volume", "10",
    ]);
    const request = await submitEHealthRequest(market, { app: slowApp, params: JSON.stringify({ sleepMs: 6_000 }) });
    const dealId = await dealOf(request);
    // Running for sure: the SMS released the dataset key to this attempt's enclave, so the app sleeps.
    const running = await eventually("the task running with its dataset key released", async () => {
      const [task] = await schedulerTasks(dealId);
      if (task?.state !== "running" || !task.enclave) return undefined;
      const released = (await readDatasetAudit(devnet, hospital, market.datasetId)).some(
        (entry) => entry.taskId === task.taskId && entry.outcome === "released" && entry.enclave === task.enclave,
      );
      return released && task;
    }, 30_000);
    const victim = devnet.compute!.workers.find((candidate) => candidate.address.toLowerCase() === running.worker)!;
    const survivor = devnet.compute!.workers.find((candidate) => candidate !== victim)!;
    await victim.worker.halt();

    const [done] = await eventually("the task completed after reassignment", async () => {
      const rows = await schedulerTasks(dealId);
      return rows[0]?.state === "completed" && rows;
    }, 60_000);
    expect(done!.worker).to.equal(survivor.address.toLowerCase());
    const attempts = await new TaskRepository(scheduler.db).attempts(running.taskId);
    expect(attempts.map((attempt) => [attempt.worker, attempt.outcome])).to.deep.equal([
      [victim.address.toLowerCase(), "lost"],
      [survivor.address.toLowerCase(), "result"],
    ]);
    expect(await resultIndexes(dealId)).to.deep.equal([0]);
    const releases = (await readDatasetAudit(devnet, hospital, market.datasetId)).filter(
      (entry) => entry.taskId === running.taskId && entry.outcome === "released",
    );
    expect(releases.map((entry) => entry.enclave)).to.deep.equal([running.enclave, done!.enclave]);
    await eventually("the request completed in the market's ledger", async () => (await requestStatus(request)).status === "completed");

    // Two workers again for what follows.
    const workDirectory = join(stack.dataDir, "work", "replacement");
    await mkdir(workDirectory, { recursive: true });
    extraWorkers.push(await startWorker({
      schedulerUrl: scheduler.url,
      key: Wallet.createRandom(),
      capabilities: { tee: true },
      store: devnet.storage,
      platform: simulatedQuotingPlatform(devnet.attestation.dcap.quotingEnclave(DEVNET_PLATFORM), DEVNET_PLATFORM),
      secrets: new HttpSecretsClient({ baseUrl: devnet.sms.url }),
      workDirectory,
    }));
  });

  it("completes every task of a deal exactly once when the scheduler is closed and restarted in the middle of it", async () => {
    const request = await submitEHealthRequest(market, { volume: 3 });
    const dealId = await dealOf(request);
    const atClose = await eventually("a first result", async () => {
      const rows = await schedulerTasks(dealId);
      return rows.some((task) => ["result_uploaded", "pushed", "completed"].includes(task.state)) && rows;
    }, 60_000);
    const port = scheduler.port;
    await scheduler.close();
    expect(atClose.map((task) => task.state), "the deal was unfinished when the scheduler stopped").not.to.satisfy(
      (states: string[]) => states.every((state) => state === "completed"),
    );
    // The devnet's own configuration, on the port the first scheduler had.
    scheduler = await startScheduler({
      config: { ...devnet.config, scheduler: { ...devnet.config.scheduler, port } },
      owner: new Wallet(devnetPrivateKey(DEVNET_POOL_OWNER_ACCOUNT), devnet.provider),
      provider: devnet.provider,
      deployment: devnet.deployment,
      workerpool: devnet.compute!.workerpool,
      database: databaseTarget(devnet.config, DEVNET_SCHEDULER_DATABASE),
    });
    const tasks = await eventually("every task completed", async () => {
      const rows = await schedulerTasks(dealId);
      return rows.length === 3 && rows.every((task) => task.state === "completed") && rows;
    }, 90_000);
    expect(await resultIndexes(dealId)).to.deep.equal([0, 1, 2]);
    expect(tasks.every((task) => task.pushTx !== null)).to.equal(true);
    const status = await eventually("the request completed in the market's ledger", async () => {
      const current = await requestStatus(request);
      return current.status === "completed" && current;
    });
    expect(status.taskCounts).to.deep.equal({ total: "3", completed: "3", failed: "0", claimed: "0", pending: "0" });
  });

  it("lets anyone claim a task past its deadline: the requester is refunded with the stake and the reputation drops", async () => {
    for (const running of [...devnet.compute!.workers, ...extraWorkers]) await running.close({ abandon: true });
    const requester = devnet.accounts[DEMO_ROLES.healthDepartment]!;
    const balanceBefore = (await continuum.getFunction("balanceOf")(requester.address)) as bigint;
    const [, failedBefore, scoreBefore] = (await continuum.getFunction("reputationOf")(devnet.compute!.workerpool)) as bigint[];

    const request = await submitEHealthRequest(market);
    const dealId = await dealOf(request);
    const [row] = await eventually("the scheduler took in the deal", async () => {
      const rows = await schedulerTasks(dealId);
      return rows.length === 1 && rows;
    });
    expect(row!.state).to.equal("waiting");
    const deal = dealFromJson((await new TaskRepository(scheduler.db).deal(dealId))!.deal);
    const price = deal.appPrice + deal.datasetPrice + deal.workerpoolPrice;
    expect(await continuum.getFunction("balanceOf")(requester.address)).to.equal(balanceBefore - price);

    const early = await continuum.connect(requester).getFunction("claim").staticCall(deal, [0n]).then(() => undefined, (error: { revert?: { name: string } }) => error);
    expect(early?.revert?.name, "a claim before the deadline").to.equal("DeadlineNotReached");
    const now = (await devnet.provider.getBlock("latest"))!.timestamp;
    await devnet.provider.send("evm_increaseTime", [Number(deal.deadline) - now + 1]);
    await devnet.provider.send("evm_mine", []);
    await (await continuum.connect(requester).getFunction("claim")(deal, [0n])).wait();

    expect(await continuum.getFunction("balanceOf")(requester.address)).to.equal(balanceBefore + deal.stakePerTask);
    const [, failedAfter, scoreAfter] = (await continuum.getFunction("reputationOf")(devnet.compute!.workerpool)) as bigint[];
    expect(failedAfter).to.equal(failedBefore! + 1n);
    expect(scoreAfter).to.be.lessThan(scoreBefore!);

    const api = devnet.endpoints.marketUrl;
    const reputation = await eventually("the claim in the audit API", async () => {
      const current = (await (await fetch(`${api}/v1/workerpools/${devnet.compute!.workerpool}/reputation`)).json()) as Record<string, string>;
      return current.failed === failedAfter.toString() && current;
    });
    expect(reputation.score).to.equal(scoreAfter.toString());
    const claims = (await (await fetch(`${api}/v1/claims?deal=${dealId}`)).json()) as { items: Record<string, string>[] };
    expect(claims.items.map((claim) => [claim.index, claim.refunded, claim.slashed])).to.deep.equal([["0", price.toString(), deal.stakePerTask.toString()]]);
    expect((await requestStatus(request)).status).to.equal("settled");
    await eventually("the scheduler saw the claim", async () => (await schedulerTasks(dealId))[0]?.state === "claimed");
  });
});
