// A plain model of the scheduler's queue order, written from the rule and not from the SQL:
// among waiting tasks, the lowest class rank; then the requester holding the fewest tasks; then
// the least deadline slack; then deal id and task index.
import type { PriorityClass } from "../../../src/wire/requestParams.ts";

export type ModelDeal = {
  dealId: string;
  priority: PriorityClass;
  /** null: a deal stored without a requester counts as a requester of its own. */
  requester: string | null;
  deadline: number;
  maxRunTime: number;
  volume: number;
};

export type ModelTask = { dealId: string; index: number; state: "waiting" | "held" | "done" };

const RANK: Record<PriorityClass, number> = { urgent: 0, normal: 1, batch: 2 };

export function referenceNext(deals: readonly ModelDeal[], tasks: readonly ModelTask[]): ModelTask | undefined {
  const dealOf = new Map(deals.map((deal) => [deal.dealId, deal]));
  const party = (deal: ModelDeal) => deal.requester ?? deal.dealId;
  const held = new Map<string, number>();
  for (const task of tasks) {
    if (task.state !== "held") continue;
    const key = party(dealOf.get(task.dealId)!);
    held.set(key, (held.get(key) ?? 0) + 1);
  }
  const key = (task: ModelTask): (number | string)[] => {
    const deal = dealOf.get(task.dealId)!;
    return [RANK[deal.priority], held.get(party(deal)) ?? 0, deal.deadline - deal.maxRunTime, deal.dealId, task.index];
  };
  let best: ModelTask | undefined;
  for (const task of tasks) {
    if (task.state !== "waiting") continue;
    if (!best || compareKeys(key(task), key(best)) < 0) best = task;
  }
  return best;
}

function compareKeys(a: (number | string)[], b: (number | string)[]): number {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}
