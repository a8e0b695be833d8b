// An elastic workerpool with real parts: the in-process Hardhat chain, the real SMS over HTTP,
// Helia on disk, PGlite, a real scheduler, and in-process Workers running the ward-stats app in the
// enclave runtime. Another requester's urgent task overtakes a flood; a burst grows the fleet, the
// quiet after it drains the fleet back to its minimum, and a worker drained mid-task finishes it:
// every task completes in exactly one attempt, none lost, none run twice.
import { expect } from "chai";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Wallet } from "ethers";
import { generateResultKeyPair } from "../../../src/crypto/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { HttpSecretsClient, simulatedQuotingPlatform } from "../../../enclave/index.ts";
import { HONEST_PLATFORM } from "../../helpers/devnetAttestation.ts";
import { TaskRepository } from "../../../scheduler/persistence/index.ts";
import type { RunningScheduler } from "../../../scheduler/startScheduler.ts";
import { startWorker, type RunningWorker } from "../../../worker/index.ts";
import { Autoscaler, fetchQueue, WorkerFleet, type AutoscaleSample } from "../../../worker/fleet/index.ts";
import { by, loadProtocol } from "../../helpers/protocolFixture.ts";
import { startHarness, type Harness } from "../sms/smsHarness.ts";
import { until as untilWithin } from "../../helpers/until.ts";
import { matchWardStatsDeal, sellWardStats, startPoolScheduler, WARD_STATS_PARAMS } from "./wardStatsPool.ts";

/** The fleet's waits are longer than the shared default: workers start and drain on the way. */
const until = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false) => untilWithin(what, probe, 90_000);


describe("elastic workerpool with a real scheduler", function () {
  this.timeout(240_000);
  let h: Harness;
  let root: TemporaryDirectory;
  let store: HeliaContentStore;
  let scheduler: RunningScheduler;
  const fleets: WorkerFleet<RunningWorker>[] = [];
  const beneficiary = generateResultKeyPair();

  before(async function () {
    h = await startHarness({ minIsvSvn: 1, protocol: loadProtocol });
    root = await createTemporaryDirectory("continuum-autoscale-");
    store = await HeliaContentStore.open({ directory: join(root.path, "ipfs") });
    await sellWardStats(h, store, 7);
    scheduler = await startPoolScheduler(h, root.path, { heartbeatIntervalMs: 300, missedHeartbeats: 3, batchSize: 5, batchDelayMs: 500, indexIntervalMs: 200, maxPollWaitMs: 1_000 });
  });

  after(async function () {
    for (const fleet of fleets.splice(0)) await fleet.close({ abandon: true });
    await scheduler?.close();
    await store?.stop();
    await h?.close();
    await root?.remove();
  });

  /** A deal of `volume` tasks for the fixture's requester, or with `urgent` for another requester (the stranger) in the urgent class. */
  async function newDeal(volume: bigint, options: { urgent?: boolean } = {}): Promise<string> {
    if (!options.urgent) return matchWardStatsDeal(h, volume, beneficiary.publicKey);
    const params = JSON.stringify({ ...JSON.parse(WARD_STATS_PARAMS), priority: "urgent" });
    return matchWardStatsDeal(h, volume, beneficiary.publicKey, { requester: h.f.stranger, params });
  }

  function newFleet(): WorkerFleet<RunningWorker> {
    const fleet = new WorkerFleet({
      launch: async (index) => {
        const key = Wallet.createRandom();
        const work = join(root.path, `work-${fleets.length}-${index}`);
        await mkdir(work, { recursive: true });
        return startWorker({
          schedulerUrl: scheduler.url,
          key,
          capabilities: { cpu: 1, memoryMb: 1024, tee: true, gpu: 0 },
          store,
          platform: simulatedQuotingPlatform(h.platform, HONEST_PLATFORM),
          secrets: new HttpSecretsClient({ baseUrl: h.url }),
          workDirectory: work,
          pollWaitMs: 500,
        });
      },
    });
    fleets.push(fleet);
    return fleet;
  }

  /** Every task of the deal completed, each in exactly one attempt that ended with a result. */
  async function expectEachRunOnce(dealId: string): Promise<void> {
    const tasks = new TaskRepository(scheduler.db);
    const rows = await until("every task completed", async () => {
      const all = await tasks.tasksOfDeal(dealId);
      return all.length > 0 && all.every((row) => row.state === "completed") && all;
    });
    for (const row of rows) {
      const attempts = await tasks.attempts(row.taskId);
      expect(attempts.map((attempt) => attempt.outcome), `task ${row.taskIndex}`).to.deep.equal(["result"]);
    }
  }

  it("starts another requester's urgent task within one task duration of a flood", async function () {
    await by(h.f.continuum, h.f.stranger).deposit(1_000n);
    const fleet = newFleet();
    await fleet.scaleTo(2);
    const flood = await newDeal(16n);
    const tasks = new TaskRepository(scheduler.db);
    await until("both workers busy with the flood", async () => fleet.workers.every((worker) => worker.worker.busy) && (await tasks.queue(0)).waiting >= 8);
    const urgent = await newDeal(1n, { urgent: true });
    await expectEachRunOnce(urgent);
    const [{ created_at: queuedAt }] = await scheduler.db.query("SELECT created_at FROM scheduler_deal WHERE deal_id = $1", [urgent.toLowerCase()]);
    const [urgentTask] = await tasks.tasksOfDeal(urgent);
    const [urgentAttempt] = await tasks.attempts(urgentTask!.taskId);
    const floodAttempts = (await Promise.all((await tasks.tasksOfDeal(flood)).map((task) => tasks.attempts(task.taskId)))).flat();
    const durations = floodAttempts.filter((attempt) => attempt.endedAt).map((attempt) => attempt.endedAt!.getTime() - attempt.assignedAt.getTime());
    const waitedMs = urgentAttempt!.assignedAt.getTime() - new Date(queuedAt).getTime();
    expect(waitedMs, `waited ${waitedMs} ms; flood tasks took ${Math.min(...durations)}..${Math.max(...durations)} ms`).to.be.at.most(Math.max(...durations));
    expect(floodAttempts.filter((attempt) => attempt.assignedAt > urgentAttempt!.assignedAt).length, "the flood was still queued behind it").to.be.greaterThan(0);
    await expectEachRunOnce(flood);
    await fleet.close();
  });

  it("finishes the task of a worker drained mid-task, and takes no new one on it", async function () {
    const fleet = newFleet();
    await fleet.scaleTo(2);
    const dealId = await newDeal(3n);
    await until("both workers busy", () => fleet.workers.length === 2 && fleet.workers.every((worker) => worker.worker.busy));
    const [first, second] = fleet.workers.map((worker) => worker.worker);
    await fleet.scaleTo(1);
    expect(fleet.draining).to.equal(1);
    await fleet.drained();
    await expectEachRunOnce(dealId);
    const drained = fleet.workers[0]!.worker === first ? second! : first!;
    expect(drained.completed, "the drained worker finished its task and took no other").to.equal(1);
    await fleet.close();
  });

  it("grows the fleet for a burst and drains it back to min once the queue is empty", async function () {
    const fleet = newFleet();
    const autoscaler = new Autoscaler({
      fleet,
      policy: { min: 1, max: 3, target: 1, tolerance: 0.1, scaleDownWindowMs: 1_500, slackThresholdSeconds: 10 },
      readQueue: () => fetchQueue(scheduler.url),
      intervalMs: 250,
    });
    const samples: AutoscaleSample[] = [];
    autoscaler.on("sample", (sample) => samples.push(sample));
    await autoscaler.start();
    // Stopped even when an expectation fails: its timer would keep the test process alive.
    try {
      expect(fleet.size).to.equal(1);
      const dealId = await newDeal(8n);
      await until("the fleet grew", () => samples.some((sample) => sample.workers > 1));
      await expectEachRunOnce(dealId);
      await until("the fleet is back to min", () => fleet.size === 1 && fleet.draining === 0);
    } finally {
      await autoscaler.stop();
    }
    expect(Math.max(...samples.map((sample) => sample.workers))).to.equal(3);
    // Down to one worker only a whole window after the last step that still asked for two.
    const peak = samples.findIndex((sample) => sample.workers === 3);
    const back = samples.findIndex((sample, index) => index > peak && sample.workers === 1);
    const lastBusy = samples.slice(0, back).findLast((sample) => sample.waiting + sample.running >= 2)!;
    expect(samples[back]!.atMs - lastBusy.atMs, "not before the window has passed").to.be.at.least(1_500);
    await fleet.close();
  });
});
