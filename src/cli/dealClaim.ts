// `continuum request claim`: after a deal's deadline, settles its unfinished tasks on-chain in
// batches. For each claimed task the requester gets its price back and the workerpool's stake.
import type { EventLog, TransactionReceipt } from "ethers";
import { DealReader, type ChainDeal } from "../chain/dealReader.ts";
import { taskIdOf } from "../wire/eip712/index.ts";
import { formatTokenUnits, withChain, type ChainSession } from "./chain.ts";
import type { CliContext } from "./context.ts";
import { CliError, UsageError } from "./errors.ts";
import type { ResultRow } from "./output.ts";

/** Tasks claimed per transaction: the claim loop's gas grows with the batch. */
export const DEFAULT_CLAIM_BATCH_SIZE = 50n;
const READ_CONCURRENCY = 16;

export type ClaimOptions = {
  /** Task indexes to claim; all the deal's tasks when absent. */
  tasks?: readonly bigint[];
  batchSize: bigint;
};

type ClaimedTask = { index: bigint; taskId: string; refund: bigint; stake: bigint; transaction: string };
type SkippedTask = { index: bigint; taskId: string; reason: "completed" | "claimed" };

export async function claimDeal(context: CliContext, dealId: string, options: ClaimOptions): Promise<void> {
  await withChain(context, { signer: true }, async (chain) => {
    const { decimals } = await chain.tokenInfo();
    const found = await readDeal(chain, dealId);
    const indexes = selectTasks(found, options.tasks);
    const { open, skipped } = await sortTasks(context, chain, found, indexes);
    for (const task of skipped) context.output.status(`task ${task.index}: skipped, already ${task.reason}`);
    if (open.length === 0) context.output.status("nothing to claim: every selected task is already settled (completed, failed or claimed)");
    else if (found.deal.requester.toLowerCase() !== chain.account.toLowerCase()) {
      context.output.status(`note: the refunds go to the deal's requester ${found.deal.requester}, not to ${chain.account}`);
    }

    const claimed: ClaimedTask[] = [];
    for (let start = 0; start < open.length; start += Number(options.batchSize)) {
      const batch = open.slice(start, start + Number(options.batchSize));
      const range = `${start + 1}-${start + batch.length} of ${open.length}`;
      const receipt = await chain.send(`claiming tasks ${range} of deal ${found.dealId}`, () =>
        chain.contracts.continuum.claim(found.deal, batch),
      );
      claimed.push(...claimedTasks(chain, found, receipt));
    }

    const amount = (value: bigint) => formatTokenUnits(value, decimals);
    const total = (pick: (task: ClaimedTask) => bigint) => claimed.reduce((sum, task) => sum + pick(task), 0n);
    const deadline = new Date(Number(found.deal.deadline) * 1000).toISOString();
    const rows: ResultRow[] = [
      ["deal", found.dealId],
      ["requester", found.deal.requester],
      ["deadline", deadline],
      ...claimed.map((task): ResultRow => [
        `task ${task.index}`,
        `claimed: refunded ${chain.formatAmount(task.refund)}, stake received ${chain.formatAmount(task.stake)} (tx ${task.transaction})`,
      ]),
      ...skipped.map((task): ResultRow => [`task ${task.index}`, `skipped: already ${task.reason}`]),
      ["claimed", `${claimed.length} of ${indexes.length} task(s)${claimed.length === 0 ? ": nothing to claim" : ""}`],
      ["refunded", chain.formatAmount(total((task) => task.refund))],
      ["stake received", chain.formatAmount(total((task) => task.stake))],
    ];
    context.output.result(
      {
        dealId: found.dealId,
        requester: found.deal.requester,
        deadline,
        claimed: claimed.map((task) => ({
          index: task.index.toString(),
          taskId: task.taskId,
          refund: amount(task.refund),
          stake: amount(task.stake),
          units: { refund: task.refund.toString(), stake: task.stake.toString() },
          transaction: task.transaction,
        })),
        skipped: skipped.map((task) => ({ index: task.index.toString(), taskId: task.taskId, reason: task.reason })),
        refunded: amount(total((task) => task.refund)),
        stakeReceived: amount(total((task) => task.stake)),
      },
      rows,
    );
  });
}

async function readDeal(chain: ChainSession, dealId: string): Promise<ChainDeal> {
  const { deployment } = chain;
  const reader = new DealReader(chain.provider, deployment);
  const found = await chain.read(() => reader.readDeal(dealId));
  if (!found) {
    throw new CliError("DEAL_NOT_FOUND", `No deal ${dealId} on chain ${deployment.chainId} (contract ${deployment.continuum})`, { dealId });
  }
  return found;
}

function selectTasks(found: ChainDeal, tasks: readonly bigint[] | undefined): bigint[] {
  const { volume } = found.deal;
  if (tasks === undefined) return Array.from({ length: Number(volume) }, (_, index) => BigInt(index));
  const outside = tasks.find((index) => index >= volume);
  if (outside !== undefined) {
    throw new UsageError("TASK_INDEX_OUT_OF_RANGE", `Deal ${found.dealId} has ${volume} task(s), numbered 0 to ${volume - 1n}; there is no task ${outside}`, {
      dealId: found.dealId,
      index: outside.toString(),
      volume: volume.toString(),
    });
  }
  return [...new Set(tasks)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Splits the tasks into those still open and those already finalized, telling completed from claimed. */
async function sortTasks(context: CliContext, chain: ChainSession, found: ChainDeal, indexes: readonly bigint[]) {
  const { continuum } = chain.contracts;
  if (indexes.length > READ_CONCURRENCY) context.output.status(`reading the state of ${indexes.length} tasks ...`);
  const finalized: boolean[] = [];
  for (let start = 0; start < indexes.length; start += READ_CONCURRENCY) {
    const slice = indexes.slice(start, start + READ_CONCURRENCY);
    finalized.push(...(await chain.read(() => Promise.all(slice.map((index) => continuum.isTaskFinalized(found.dealId, index) as Promise<boolean>)))));
  }
  const open = indexes.filter((_, position) => !finalized[position]);
  const done = indexes.filter((_, position) => finalized[position]);
  const claimedBefore = done.length === 0 ? new Set<bigint>() : await claimedIndexes(chain, found);
  const skipped = done.map((index): SkippedTask => ({
    index,
    taskId: taskIdOf(found.dealId, index),
    reason: claimedBefore.has(index) ? "claimed" : "completed",
  }));
  return { open, skipped };
}

async function claimedIndexes(chain: ChainSession, found: ChainDeal): Promise<Set<bigint>> {
  const { continuum } = chain.contracts;
  const events = await chain.read(() =>
    continuum.queryFilter(continuum.filters.TaskClaimed!(found.dealId), found.blockNumber, "latest"),
  );
  return new Set(events.filter((event): event is EventLog => "args" in event).map((event) => BigInt(event.args.index)));
}

/** The tasks a claim transaction settled, from its TaskClaimed events, with what each paid. */
function claimedTasks(chain: ChainSession, found: ChainDeal, receipt: TransactionReceipt): ClaimedTask[] {
  const { continuum } = chain.contracts;
  const { deal } = found;
  const refund = deal.appPrice + deal.datasetPrice + deal.workerpoolPrice;
  const tasks: ClaimedTask[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== String(continuum.target).toLowerCase()) continue;
    const parsed = continuum.interface.parseLog(log);
    if (parsed?.name !== "TaskClaimed") continue;
    tasks.push({ index: parsed.args.index as bigint, taskId: parsed.args.taskId as string, refund, stake: deal.stakePerTask, transaction: receipt.hash });
  }
  return tasks;
}
