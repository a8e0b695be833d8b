// Brings unfinished tasks in line with what the chain (through the scheduler's ledger) says: a
// result on-chain completes a task, a claim settles it. On resume it also revisits pushes that a
// stopped scheduler left in flight: a push whose transaction never landed is pushed again.
import type { Provider } from "ethers";
import type { DataSource } from "typeorm";
import type { Logger } from "../../src/core/logger.ts";
import { LedgerTerms } from "../intake/LedgerTerms.ts";
import { TaskRepository } from "../persistence/index.ts";
import { UNFINISHED_STATES } from "../tasks/taskStates.ts";
import { failureCodeOfCause } from "../../src/wire/marketApi/taskFailure.ts";

/** Completes or claims every unfinished task the ledger shows settled; returns how many changed. */
export async function settleFromLedger(db: DataSource, logger: Logger): Promise<number> {
  const tasks = new TaskRepository(db);
  const unfinished = await tasks.tasksInStates([...UNFINISHED_STATES, "failed"]);
  const settled = await new LedgerTerms(db).finalized(unfinished.map((task) => task.taskId));
  let changed = 0;
  for (const task of unfinished) {
    const status = settled.get(task.taskId);
    if (!status) continue;
    try {
      await tasks.transition(task.taskId, task.state, status);
      changed += 1;
      logger.info({ taskId: task.taskId, from: task.state, to: status }, "task settled on-chain");
    } catch {
      // Moved on concurrently; the next pass sees its new state.
    }
  }
  return changed;
}

/** After a restart: pushes (of results or failures) with no mined, successful transaction go back to be pushed again. */
export async function revisitPushes(db: DataSource, provider: Provider, logger: Logger): Promise<number> {
  const tasks = new TaskRepository(db);
  let revisited = 0;
  for (const task of await tasks.tasksInStates(["pushed", "failure_pushed"])) {
    const failure = task.state === "failure_pushed";
    const receipt = task.pushTx ? await provider.getTransactionReceipt(task.pushTx) : null;
    if (receipt?.status === 1) {
      if (failure) await tasks.transition(task.taskId, task.state, "failed", { errorCode: failureCodeOfCause(task.failureVerdict!.cause) });
      else await tasks.transition(task.taskId, task.state, "completed");
      continue;
    }
    const pending = task.pushTx && !receipt ? await provider.getTransaction(task.pushTx) : null;
    if (pending) continue;
    await tasks.transition(task.taskId, task.state, failure ? "failing" : "result_uploaded");
    logger.info({ taskId: task.taskId, tx: task.pushTx }, "push never landed; will push again");
    revisited += 1;
  }
  return revisited;
}
