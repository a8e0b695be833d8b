// A fleet whose workers are real child processes (`continuum worker start`, one each, with a key
// file of its own), against a real scheduler on the in-process Hardhat chain, the real SMS over
// HTTP and Helia: the processes register under distinct addresses, run confidential ward-stats
// tasks, are drained by SIGTERM with every task run exactly once, and a SIGKILLed one is replaced.
import { expect } from "chai";
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateResultKeyPair } from "../../../src/crypto/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { HONEST_PLATFORM } from "../../helpers/devnetAttestation.ts";
import { TaskRepository, WorkerRepository } from "../../../scheduler/persistence/index.ts";
import type { RunningScheduler } from "../../../scheduler/startScheduler.ts";
import { processLauncher, WorkerFleet, type WorkerProcess } from "../../../worker/fleet/index.ts";
import { loadProtocol } from "../../helpers/protocolFixture.ts";
import { startHarness, type Harness } from "../sms/smsHarness.ts";
import { until as untilWithin } from "../../helpers/until.ts";
import { matchWardStatsDeal, sellWardStats, startPoolScheduler } from "./wardStatsPool.ts";

/** Child processes start, fetch over IPFS and drain on a shared machine: waits are generous. */
const until = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false) => untilWithin(what, probe, 180_000);

describe("a worker fleet of child processes with a real scheduler", function () {
  this.timeout(600_000);
  let h: Harness;
  let root: TemporaryDirectory;
  let store: HeliaContentStore;
  let scheduler: RunningScheduler;
  let fleet: WorkerFleet<WorkerProcess> | undefined;
  const beneficiary = generateResultKeyPair();

  before(async function () {
    h = await startHarness({ minIsvSvn: 1, protocol: loadProtocol });
    root = await createTemporaryDirectory("continuum-process-fleet-");
    store = await HeliaContentStore.open({ directory: join(root.path, "ipfs") });
    await sellWardStats(h, store, 11);
    scheduler = await startPoolScheduler(h, root.path, { heartbeatIntervalMs: 500, missedHeartbeats: 6, batchSize: 5, batchDelayMs: 500, indexIntervalMs: 200, maxPollWaitMs: 1_000 });
    const attestation = join(root.path, "attestation.json");
    await writeFile(attestation, JSON.stringify({ kind: "simulated", devnetDirectory: h.attestation.dcap.directory, platform: HONEST_PLATFORM }));
    // The children see no inherited Continuum, IPFS or database settings: only what the fleet passes.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(CONTINUUM_|IPFS_API_URL$|DATABASE_URL$)/.test(name)));
    fleet = new WorkerFleet({
      launch: processLauncher({
        schedulerUrl: scheduler.url,
        stateDir: join(root.path, "fleet"),
        globalArgs: ["--data-dir", join(root.path, "workers"), "--sms-url", h.url],
        workerArgs: ["--attestation", attestation, "--ipfs-peer", store.multiaddrs()[0]!, "--cpu", "1", "--memory-mb", "1024", "--log-level", "info"],
        env,
      }),
    });
  });

  after(async function () {
    await fleet?.close({ abandon: true });
    await scheduler?.close();
    await store?.stop();
    await h?.close();
    await root?.remove();
  });

  const newDeal = (volume: bigint) => matchWardStatsDeal(h, volume, beneficiary.publicKey);

  /** Every task of the deal completed, each in exactly one attempt that ended with a result; who ran each. */
  async function expectEachRunOnce(dealId: string): Promise<string[]> {
    const tasks = new TaskRepository(scheduler.db);
    const rows = await until("every task completed", async () => {
      const all = await tasks.tasksOfDeal(dealId);
      return all.length > 0 && all.every((row) => row.state === "completed") && all;
    });
    const ranBy: string[] = [];
    for (const row of rows) {
      const attempts = await tasks.attempts(row.taskId);
      expect(attempts.map((attempt) => attempt.outcome), `task ${row.taskIndex}`).to.deep.equal(["result"]);
      ranBy.push(attempts[0]!.worker.toLowerCase());
    }
    return ranBy;
  }

  it("runs each worker as its own registered process, drains with SIGTERM and replaces a killed one", async function () {
    const workers = new WorkerRepository(scheduler.db);
    await fleet!.scaleTo(3);
    const launched = [...fleet!.workers];
    expect(launched).to.have.length(3);
    expect(new Set(launched.map((worker) => worker.pid)).size, "distinct processes").to.equal(3);
    expect(launched.map((worker) => worker.pid)).to.not.include(process.pid);
    expect(new Set(launched.map((worker) => worker.address.toLowerCase())).size, "distinct addresses").to.equal(3);
    for (const worker of launched) {
      expect(await workers.worker(worker.address), `${worker.address} registered`).to.not.equal(undefined);
      expect((await stat(worker.keyFile)).mode & 0o777, "key file mode").to.equal(0o600);
      expect((await stat(worker.keyFile.replace(/\.json$/, ".password"))).mode & 0o777, "password file mode").to.equal(0o600);
    }

    // A deal as large as the fleet, drained to one worker while all three hold a task.
    const dealId = await newDeal(4n);
    await until("every worker process busy", () => fleet!.workers.every((worker) => worker.busy));
    await fleet!.scaleTo(1);
    expect(fleet!.size).to.equal(1);
    expect(fleet!.draining).to.equal(2);
    const kept = fleet!.workers[0]!;
    const drained = launched.filter((worker) => worker !== kept);
    await fleet!.drained();
    for (const worker of drained) {
      expect(await worker.exited, "a drained worker exits cleanly").to.equal(0);
      await stat(worker.keyFile).then(
        () => expect.fail("a stopped worker's key file is removed"),
        () => undefined,
      );
    }
    const ranBy = await expectEachRunOnce(dealId);
    for (const worker of drained) {
      expect(ranBy.filter((address) => address === worker.address.toLowerCase()), "a drained worker finished its task and took no other").to.have.length(1);
    }
    expect(ranBy.filter((address) => address === kept.address.toLowerCase())).to.have.length(2);

    // A crash: the remaining process is killed; the fleet notices, counts it and launches another.
    process.kill(kept.pid, "SIGKILL");
    expect(await kept.exited).to.equal("SIGKILL");
    await until("the killed worker replaced", () => fleet!.crashes === 1 && fleet!.size === 1 && fleet!.workers[0] !== kept);
    const replacement = fleet!.workers[0]!;
    expect(replacement.pid).to.not.equal(kept.pid);
    expect(replacement.address).to.not.equal(kept.address);
    expect(await workers.worker(replacement.address)).to.not.equal(undefined);
    const next = await newDeal(2n);
    expect(await expectEachRunOnce(next)).to.deep.equal([replacement.address.toLowerCase(), replacement.address.toLowerCase()]);

    await fleet!.close();
    expect(await replacement.exited).to.equal(0);
  });
});
