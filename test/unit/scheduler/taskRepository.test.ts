// The scheduler's repositories on a real PGlite database: idempotent deal intake, conditional
// transitions where only one of two racing changes wins, assignment by TEE capability and deadline.
import { expect } from "chai";
import { hexlify, randomBytes, Wallet } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { taskIdOf } from "../../../src/wire/eip712/index.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { schedulerDatabase, TaskRepository, WorkerRepository, type NewDeal } from "../../../scheduler/persistence/index.ts";
import { SchedulerError } from "../../../scheduler/SchedulerError.ts";
import { appMeasurement, runtimeProfileDigest, WASI_PROFILE } from "../../../src/apps/index.ts";
import type { RuntimeOffer } from "../../../src/wire/workerApi/assignment.ts";

const NOW = Math.floor(Date.now() / 1000);

function newDeal(volume: number, overrides: Partial<NewDeal> = {}): NewDeal {
  const dealId = hexlify(randomBytes(32));
  return {
    dealId,
    workerpool: 1n,
    deal: { volume: String(volume) },
    params: "{}",
    appCid: "bafyapp",
    appMeasurement: hexlify(randomBytes(32)),
    datasetCid: null,
    datasetChecksum: null,
    maxRunTime: 60,
    tee: true,
    deadline: NOW + 600,
    dealBlock: 1,
    taskIds: Array.from({ length: volume }, (_, index) => taskIdOf(dealId, BigInt(index))),
    ...overrides,
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(SchedulerError);
    expect((error as SchedulerError).code).to.equal(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe("scheduler repositories (PGlite)", function () {
  this.timeout(60_000);
  let dir: TemporaryDirectory;
  let db: DataSource;
  let tasks: TaskRepository;
  let workers: WorkerRepository;

  before(async () => {
    dir = await createTemporaryDirectory("continuum-scheduler-repo-");
    db = await openDataSource({ pgliteDir: dir.path, ...schedulerDatabase, logger: silentLogger() });
    tasks = new TaskRepository(db);
    workers = new WorkerRepository(db);
  });

  after(async () => {
    await db?.destroy();
    await dir?.remove();
  });

  it("creates one waiting task per index, and nothing more when the deal is seen again", async () => {
    const deal = newDeal(3);
    expect(await tasks.addDeal(deal)).to.equal(3);
    expect(await tasks.addDeal(deal)).to.equal(0);
    const rows = await tasks.tasksOfDeal(deal.dealId);
    expect(rows.map((row) => [row.taskIndex, row.state])).to.deep.equal([[0, "waiting"], [1, "waiting"], [2, "waiting"]]);
    expect(rows[1]!.taskId).to.equal(taskIdOf(deal.dealId, 1n).toLowerCase());
  });

  it("lets exactly one of two racing identical transitions win", async () => {
    const deal = newDeal(1);
    await tasks.addDeal(deal);
    const taskId = deal.taskIds[0]!;
    const worker = Wallet.createRandom().address;
    const outcomes = await Promise.allSettled([
      tasks.transition(taskId, "waiting", "assigned", { worker, attempt: 1 }),
      tasks.transition(taskId, "waiting", "assigned", { worker, attempt: 1 }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).to.have.length(1);
    const lost = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect((lost.reason as SchedulerError).code).to.equal("TRANSITION_CONFLICT");
    expect((await tasks.task(taskId))!.worker).to.equal(worker.toLowerCase());
  });

  it("refuses an unlisted transition before touching the row, and an unknown task", async () => {
    const deal = newDeal(1);
    await tasks.addDeal(deal);
    await expectCode(tasks.transition(deal.taskIds[0]!, "waiting", "pushed"), "INVALID_TRANSITION");
    expect((await tasks.task(deal.taskIds[0]!))!.state).to.equal("waiting");
    await expectCode(tasks.transition(hexlify(randomBytes(32)), "waiting", "assigned"), "TASK_NOT_FOUND");
  });

  it("assigns TEE tasks only to TEE workers, skips deals past their deadline, and records attempts", async () => {
    const fresh = await createTemporaryDirectory("continuum-scheduler-assign-");
    const own = await openDataSource({ pgliteDir: fresh.path, ...schedulerDatabase, logger: silentLogger() });
    try {
      const repo = new TaskRepository(own);
      const expired = newDeal(1, { deadline: NOW + 5 });
      const tee = newDeal(1, { deadline: NOW + 900 });
      const plain = newDeal(1, { tee: false, deadline: NOW + 1200 });
      for (const deal of [expired, tee, plain]) await repo.addDeal(deal);
      const plainWorker = { address: Wallet.createRandom().address, tee: false };
      const teeWorker = { address: Wallet.createRandom().address, tee: true };

      const first = await repo.assignNext(plainWorker, NOW, 30);
      expect(first!.taskId).to.equal(plain.taskIds[0]!.toLowerCase());
      expect(await repo.assignNext(plainWorker, NOW, 30)).to.equal(undefined);
      const second = await repo.assignNext(teeWorker, NOW, 30);
      expect(second!.taskId).to.equal(tee.taskIds[0]!.toLowerCase());
      expect(second!.attempt).to.equal(1);
      expect(await repo.assignNext(teeWorker, NOW, 30)).to.equal(undefined);

      await repo.transition(second!.taskId, "assigned", "waiting", { worker: null });
      await repo.endAttempt(second!.taskId, 1, "lost");
      const again = await repo.assignNext(teeWorker, NOW, 30);
      expect(again!.attempt).to.equal(2);
      const attempts = await repo.attempts(again!.taskId);
      expect(attempts.map((attempt) => [attempt.attempt, attempt.outcome])).to.deep.equal([[1, "lost"], [2, null]]);
    } finally {
      await own.destroy();
      await fresh.remove();
    }
  });

  it("assigns an app only to a worker offering the runtime and profile its measurement is for", async () => {
    const fresh = await createTemporaryDirectory("continuum-scheduler-runtimes-");
    const own = await openDataSource({ pgliteDir: fresh.path, ...schedulerDatabase, logger: silentLogger() });
    try {
      const repo = new TaskRepository(own);
      const profile = hexlify(randomBytes(32));
      const otherProfile = hexlify(randomBytes(32));
      const wasiProfile = runtimeProfileDigest(WASI_PROFILE);
      const app = (runtime: "node" | "python" | "wasi", digest: string, deadline: number) => {
        const checksum = hexlify(randomBytes(32));
        return newDeal(1, { appChecksum: checksum, appMeasurement: appMeasurement(runtime, checksum, digest), deadline });
      };
      const python = app("python", profile, NOW + 600);
      const wasi = app("wasi", wasiProfile, NOW + 700);
      const node = app("node", "", NOW + 800);
      for (const deal of [python, wasi, node]) await repo.addDeal(deal);
      const worker = (runtimes: RuntimeOffer[]) => ({ address: Wallet.createRandom().address, tee: true, runtimes });

      const nodeOnly = worker([{ runtime: "node" }]);
      expect((await repo.assignNext(nodeOnly, NOW, 30))!.taskId).to.equal(node.taskIds[0]!.toLowerCase());
      expect(await repo.assignNext(nodeOnly, NOW, 30)).to.equal(undefined);
      const otherPython = worker([{ runtime: "python", profile: otherProfile }, { runtime: "wasi", profile: wasiProfile }]);
      expect((await repo.assignNext(otherPython, NOW, 30))!.taskId).to.equal(wasi.taskIds[0]!.toLowerCase());
      expect(await repo.assignNext(otherPython, NOW, 30)).to.equal(undefined);
      const samePython = worker([{ runtime: "python", profile }]);
      expect((await repo.assignNext(samePython, NOW, 30))!.taskId).to.equal(python.taskIds[0]!.toLowerCase());
    } finally {
      await own.destroy();
      await fresh.remove();
    }
  });

  it("registers workers idempotently and finds the silent ones", async () => {
    const address = Wallet.createRandom().address;
    await workers.register(address, { cpu: 2, memoryMb: 2048, tee: true, gpu: 0 });
    const updated = await workers.register(address, { cpu: 4, memoryMb: 4096, tee: true, gpu: 1 });
    expect(updated).to.include({ cpu: 4, memoryMb: 4096, gpu: 1, address: address.toLowerCase() });
    expect(updated.runtimes).to.deep.equal([{ runtime: "node" }]);
    const offers = [{ runtime: "node" }, { runtime: "wasi", profile: runtimeProfileDigest(WASI_PROFILE) }];
    expect((await workers.register(address, { cpu: 4, memoryMb: 4096, tee: true, gpu: 1, runtimes: offers })).runtimes).to.deep.equal(offers);
    expect(await workers.heartbeat(Wallet.createRandom().address)).to.equal(undefined);
    expect((await workers.silentSince(60_000)).map((w) => w.address)).to.not.include(address.toLowerCase());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await workers.silentSince(10)).map((w) => w.address)).to.include(address.toLowerCase());
  });
});
