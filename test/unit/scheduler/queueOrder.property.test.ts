// The scheduler's queue order on a real PGlite database against the reference model: for random
// deals (class, requester, deadline, run time, volume) and random interleavings of assignments and
// finished tasks, TaskRepository.assignNext hands out exactly the task the model picks.
import { expect } from "chai";
import fc from "fast-check";
import { hexlify, randomBytes, Wallet } from "ethers";
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { taskIdOf } from "../../../src/wire/eip712/index.ts";
import { PRIORITY_CLASSES } from "../../../src/wire/requestParams.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { schedulerDatabase, TaskRepository } from "../../../scheduler/persistence/index.ts";
import { referenceNext, type ModelDeal, type ModelTask } from "./referenceQueue.ts";

const NOW = 1_900_000_000;
const MARGIN = 20;
const REQUESTERS = [Wallet.createRandom().address, Wallet.createRandom().address, Wallet.createRandom().address];
const WORKER = { address: Wallet.createRandom().address, tee: true };

const dealArbitrary = fc.record({
  priority: fc.constantFrom(...PRIORITY_CLASSES),
  requester: fc.option(fc.constantFrom(...REQUESTERS), { freq: 5 }),
  deadlineIn: fc.integer({ min: 100, max: 400 }),
  maxRunTime: fc.constantFrom(30, 60, 90),
  volume: fc.integer({ min: 1, max: 4 }),
});

/** true: assign the next task; a number: finish the held task at that position (modulo their count). */
const stepArbitrary = fc.oneof(fc.constant(true as const), fc.nat(20));

describe("queue order (PGlite, against a reference model)", function () {
  this.timeout(300_000);
  let dir: TemporaryDirectory;
  let db: DataSource;
  let repo: TaskRepository;

  before(async () => {
    dir = await createTemporaryDirectory("continuum-queue-order-");
    db = await openDataSource({ pgliteDir: dir.path, ...schedulerDatabase, logger: silentLogger() });
    repo = new TaskRepository(db);
  });

  after(async () => {
    await db?.destroy();
    await dir?.remove();
  });

  it("assigns what the model picks, step after step", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dealArbitrary, { minLength: 1, maxLength: 6 }), fc.array(stepArbitrary, { minLength: 1, maxLength: 25 }), async (specs, steps) => {
        await db.query("DELETE FROM scheduler_attempt");
        await db.query("DELETE FROM scheduler_task");
        await db.query("DELETE FROM scheduler_deal");
        const deals: ModelDeal[] = [];
        const tasks: ModelTask[] = [];
        for (const spec of specs) {
          const dealId = hexlify(randomBytes(32));
          const deal: ModelDeal = {
            dealId,
            priority: spec.priority,
            requester: spec.requester?.toLowerCase() ?? null,
            deadline: NOW + spec.deadlineIn,
            maxRunTime: spec.maxRunTime,
            volume: spec.volume,
          };
          await repo.addDeal({
            dealId,
            workerpool: 1n,
            deal: { volume: String(spec.volume) },
            params: "{}",
            appCid: "bafyapp",
            appMeasurement: hexlify(randomBytes(32)),
            datasetCid: null,
            datasetChecksum: null,
            maxRunTime: deal.maxRunTime,
            tee: false,
            deadline: deal.deadline,
            dealBlock: 1,
            priority: deal.priority,
            requester: spec.requester ?? null,
            taskIds: Array.from({ length: spec.volume }, (_, index) => taskIdOf(dealId, BigInt(index))),
          });
          deals.push(deal);
          for (let index = 0; index < spec.volume; index += 1) tasks.push({ dealId, index, state: "waiting" });
        }
        for (const step of steps) {
          if (step === true) {
            const expected = referenceNext(deals, tasks);
            const assigned = await repo.assignNext(WORKER, NOW, MARGIN);
            if (!expected) {
              expect(assigned).to.equal(undefined);
              continue;
            }
            expect(assigned, "a task waits").to.not.equal(undefined);
            expect([assigned!.dealId, assigned!.taskIndex]).to.deep.equal([expected.dealId, expected.index]);
            expected.state = "held";
          } else {
            const held = tasks.filter((task) => task.state === "held");
            if (held.length === 0) continue;
            const done = held[step % held.length]!;
            await repo.transition(taskIdOf(done.dealId, BigInt(done.index)), "assigned", "result_uploaded");
            done.state = "done";
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
