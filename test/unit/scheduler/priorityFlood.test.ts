// One requester floods the workerpool with a 10,000-task deal; another asks for a single task.
// On a real PGlite board with the clock held by the test, the workers busy with the flood give
// the other requester's task the next free slot: it starts within one task duration, whether it
// is urgent (a higher class) or normal (the same class, shared fairly between requesters).
import { expect } from "chai";
import { hexlify, randomBytes, Wallet } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { continuumDomain, taskIdOf, ZERO_BYTES32 } from "../../../src/wire/eip712/index.ts";
import type { PriorityClass } from "../../../src/wire/requestParams.ts";
import { schedulerDatabase, TaskRepository, WorkerRepository, type SchedulerWorkerRow } from "../../../scheduler/persistence/index.ts";
import { TaskBoard } from "../../../scheduler/tasks/TaskBoard.ts";
import { SmsVerdicts } from "../../../scheduler/tasks/SmsVerdicts.ts";

const START = 1_900_000_000;
/** Every task runs this long on the test's clock. */
const TASK_SECONDS = 60;
const FLOOD = 10_000;
const WORKERS = 3;

describe("priority and fairness under a flood (PGlite)", function () {
  this.timeout(300_000);
  let dir: TemporaryDirectory;
  let db: DataSource;
  let tasks: TaskRepository;
  let nowSeconds = START;
  const flooder = Wallet.createRandom().address;
  const other = Wallet.createRandom().address;

  before(async () => {
    dir = await createTemporaryDirectory("continuum-priority-flood-");
    db = await openDataSource({ pgliteDir: dir.path, ...schedulerDatabase, logger: silentLogger() });
    tasks = new TaskRepository(db);
  });

  beforeEach(async () => {
    await db.query("DELETE FROM scheduler_attempt");
    await db.query("DELETE FROM scheduler_task");
    await db.query("DELETE FROM scheduler_deal");
    await db.query("DELETE FROM scheduler_worker");
    nowSeconds = START;
  });

  after(async () => {
    await db?.destroy();
    await dir?.remove();
  });

  async function addDeal(requester: string, volume: number, priority: PriorityClass, deadlineIn: number): Promise<string> {
    const dealId = hexlify(randomBytes(32));
    await tasks.addDeal({
      dealId,
      workerpool: 1n,
      deal: { volume: String(volume), tag: ZERO_BYTES32, requester },
      params: JSON.stringify({ priority }),
      appCid: "bafyapp",
      appMeasurement: hexlify(randomBytes(32)),
      datasetCid: null,
      datasetChecksum: null,
      maxRunTime: TASK_SECONDS,
      tee: false,
      deadline: START + deadlineIn,
      dealBlock: 1,
      priority,
      taskIds: Array.from({ length: volume }, (_, index) => taskIdOf(dealId, BigInt(index))),
    });
    return dealId.toLowerCase();
  }

  /**
   * Runs the workers on the test's clock: each takes a task, holds it TASK_SECONDS, reports its
   * result and takes the next, starting a third of a task apart. `arrive` runs once the flood has
   * filled every worker; returns when the single task started, in seconds after it arrived.
   */
  async function secondsUntilStarted(arrive: () => Promise<string>): Promise<number> {
    const board = new TaskBoard({
      db,
      owner: Wallet.createRandom(),
      domain: continuumDomain(31337n, Wallet.createRandom().address),
      policy: { maxAttempts: 3, deadlineMarginSeconds: 20 },
      verdicts: new SmsVerdicts({ domain: continuumDomain(31337n, Wallet.createRandom().address), smsSigner: async () => undefined }),
      logger: silentLogger(),
      now: () => nowSeconds * 1_000,
    });
    const workers: { row: SchedulerWorkerRow; freeAt: number; holding?: string }[] = [];
    for (let i = 0; i < WORKERS; i += 1) {
      const row = await new WorkerRepository(db).register(Wallet.createRandom().address, { cpu: 1, memoryMb: 1024, tee: false, gpu: 0 });
      workers.push({ row, freeAt: START + (i * TASK_SECONDS) / WORKERS });
    }
    let single: { dealId: string; arrivedAt: number } | undefined;
    for (let step = 0; step < 100; step += 1) {
      const worker = workers.reduce((a, b) => (b.freeAt < a.freeAt ? b : a));
      nowSeconds = Math.ceil(worker.freeAt);
      if (worker.holding) {
        await tasks.transition(worker.holding, "assigned", "result_uploaded");
        worker.holding = undefined;
      }
      const assignment = await board.nextTask(worker.row);
      expect(assignment, "the flood never runs dry here").to.not.equal(undefined);
      if (single && assignment!.dealId === single.dealId) return nowSeconds - single.arrivedAt;
      worker.holding = assignment!.taskId;
      worker.freeAt = nowSeconds + TASK_SECONDS;
      // The single task arrives just after the flood took the last free worker.
      if (!single && workers.every((w) => w.holding)) single = { dealId: await arrive(), arrivedAt: nowSeconds };
    }
    throw new Error("the single task never started");
  }

  it("starts another requester's urgent task within one task duration", async () => {
    await addDeal(flooder, FLOOD, "normal", 10 * 86_400);
    const waited = await secondsUntilStarted(() => addDeal(other, 1, "urgent", 10 * 86_400));
    expect(waited).to.be.at.most(TASK_SECONDS);
  });

  it("starts another requester's normal task within one task duration, though the flood's deadline is nearer", async () => {
    await addDeal(flooder, FLOOD, "normal", 86_400);
    const waited = await secondsUntilStarted(() => addDeal(other, 1, "normal", 10 * 86_400));
    expect(waited).to.be.at.most(TASK_SECONDS);
  });

  it("lets the flood go first over another requester's batch task, which waits for it", async () => {
    await addDeal(flooder, 50, "normal", 86_400);
    const board = await tasks.queue(START);
    expect(board.waitingByPriority).to.deep.equal({ urgent: 0, normal: 50, batch: 0 });
    const batch = await addDeal(other, 1, "batch", 86_400);
    const worker = { address: Wallet.createRandom().address, tee: false };
    for (let i = 0; i < 50; i += 1) expect((await tasks.assignNext(worker, START, 20))!.dealId).to.not.equal(batch);
    expect((await tasks.assignNext(worker, START, 20))!.dealId).to.equal(batch);
  });
});
