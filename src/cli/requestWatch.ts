// Follows a request through the market (GET /v1/requests/<hash>): prints a progress line whenever
// a deal forms or a task changes state, and stops once every task is final or at the timeout.
import { setTimeout as sleep } from "node:timers/promises";
import type { RequestStatusJson } from "../wire/marketApi/requestStatus.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { marketClient } from "./orderLifecycle.ts";
import type { ResultRow } from "./output.ts";

export type WatchOptions = { timeoutMs: number; intervalMs: number };

export async function watchRequest(context: CliContext, hash: string, options: WatchOptions): Promise<void> {
  const market = marketClient(context);
  const deadline = Date.now() + options.timeoutMs;
  const shown = new Map<string, string>();
  const show = (key: string, line: string) => {
    if (shown.get(key) === line) return;
    shown.set(key, line);
    context.output.status(line);
  };
  for (;;) {
    // An unknown hash fails at once (REQUEST_NOT_FOUND): a published request reads as "open".
    const status = await market.get<RequestStatusJson>(`/requests/${hash}`);
    reportProgress(status, show);
    if (isFinal(status)) {
      context.output.result({ ...status }, summaryRows(status));
      return;
    }
    if (Date.now() >= deadline) {
      const tasks = status.deals.length > 0 ? `${status.taskCounts.pending} of ${status.taskCounts.total} tasks still pending` : "no deal yet";
      throw new CliError("WATCH_TIMEOUT", `Request ${hash} is not final after ${options.timeoutMs / 1000} s (${tasks})`, {
        hash,
        status: status.status,
      });
    }
    await sleep(Math.min(options.intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/** Every task of every deal final, and no volume left that a later deal could still take. */
function isFinal(status: RequestStatusJson): boolean {
  if (status.status === "cancelled") return true;
  if (status.status !== "completed" && status.status !== "settled") return false;
  return status.book === null || status.book.status !== "open" || status.book.remaining === "0";
}

function reportProgress(status: RequestStatusJson, show: (key: string, line: string) => void): void {
  show("request", `request ${status.requestHash}: ${status.status}, ${status.matchedVolume} task(s) matched`);
  for (const deal of status.deals) {
    const counts = deal.taskCounts;
    show(`deal ${deal.dealId}`, `deal ${deal.dealId}: ${counts.completed}/${counts.total} completed, ${counts.claimed} claimed`);
    for (const task of deal.tasks) {
      const detail = task.resultCid ? ` (result ${task.resultCid})` : "";
      show(`task ${deal.dealId} ${task.index}`, `  task ${task.index} of deal ${short(deal.dealId)}: ${task.status}${detail}`);
    }
  }
}

function summaryRows(status: RequestStatusJson): ResultRow[] {
  const counts = status.taskCounts;
  return [
    ["request", status.requestHash],
    ["status", status.status],
    ["tasks", `${counts.completed} completed, ${counts.claimed} claimed, ${counts.pending} pending of ${counts.total}`],
    ...status.deals.flatMap((deal): ResultRow[] => [
      ["deal", deal.dealId],
      ...deal.tasks.map((task): ResultRow => [`  task ${task.index}`, `${task.status}${task.resultCid ? `  ${task.resultCid}` : ""}`]),
    ]),
  ];
}

function short(id: string): string {
  return `${id.slice(0, 10)}…`;
}
