// Follows a request through the market: the live feed says when something about it happened, and
// GET /v1/requests/<hash> is read then (polled while the feed is unavailable). Prints a progress
// line whenever a deal forms or a task changes state (a failed task with its reason), and stops
// once every task is final, failing with TASK_FAILED when some task ended without a result, or at
// the timeout.
import type { TaskRecord } from "../wire/marketApi/auditRecords.ts";
import type { RequestStatusJson } from "../wire/marketApi/requestStatus.ts";
import { followRequestStatus } from "../wire/marketApi/requestFollower.ts";
import { describeTaskFailure } from "../wire/marketApi/taskFailure.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { marketClient } from "./orderLifecycle.ts";
import type { ResultRow } from "./output.ts";

/** Failed tasks named in the error line, and listed in its details. */
const LISTED_FAILURES = 3;
const MAX_FAILURE_DETAILS = 100;

export type WatchOptions = { timeoutMs: number; intervalMs: number; /** false: poll only (default: follow the live feed). */ useFeed?: boolean };

/** Prints a status line for `key` only when it differs from the last one printed for that key. */
export function changedLinePrinter(context: CliContext): (key: string, line: string) => void {
  const shown = new Map<string, string>();
  return (key, line) => {
    if (shown.get(key) === line) return;
    shown.set(key, line);
    context.output.status(line);
  };
}

export async function watchRequest(context: CliContext, hash: string, options: WatchOptions): Promise<void> {
  const market = marketClient(context);
  const show = changedLinePrinter(context);
  const followed = await followRequestStatus<RequestStatusJson>({
    marketUrl: market.baseUrl,
    requestHash: hash,
    // An unknown hash fails at once (REQUEST_NOT_FOUND): a published request reads as "open".
    readStatus: () => market.get<RequestStatusJson>(`/requests/${hash}`),
    dealsOf: (status) => status.deals.map((deal) => deal.dealId),
    onStatus: (status) => {
      reportProgress(status, show);
      return isFinal(status);
    },
    deadline: Date.now() + options.timeoutMs,
    pollIntervalMs: options.intervalMs,
    useFeed: options.useFeed,
    onMode: (mode, reason) =>
      show("feed", mode === "feed" ? "following the market's live feed" : `live feed unavailable (${reason}): polling every ${options.intervalMs / 1000} s`),
  });
  const { status } = followed;
  if (followed.timedOut) {
    const tasks = status.deals.length > 0 ? `${status.taskCounts.pending} of ${status.taskCounts.total} tasks still pending` : "no deal yet";
    throw new CliError("WATCH_TIMEOUT", `Request ${hash} is not final after ${options.timeoutMs / 1000} s (${tasks})`, {
      hash,
      status: status.status,
    });
  }
  context.output.result({ ...status }, summaryRows(status));
  throwIfAnyFailed(status);
}

/** Every task of every deal final, and no volume left that a later deal could still take. */
function isFinal(status: RequestStatusJson): boolean {
  if (status.status === "cancelled") return true;
  if (status.status !== "completed" && status.status !== "failed" && status.status !== "settled") return false;
  return status.book === null || status.book.status !== "open" || status.book.remaining === "0";
}

function reportProgress(status: RequestStatusJson, show: (key: string, line: string) => void): void {
  show("request", `request ${status.requestHash}: ${status.status}, ${status.matchedVolume} task(s) matched`);
  for (const deal of status.deals) {
    const counts = deal.taskCounts;
    show(
      `deal ${deal.dealId}`,
      `deal ${deal.dealId}: ${counts.completed}/${counts.total} completed, ${counts.claimed} claimed, ${counts.failed} failed`,
    );
    for (const task of deal.tasks) {
      show(`task ${deal.dealId} ${task.index}`, `  task ${task.index} of deal ${short(deal.dealId)}: ${task.status}${taskDetail(task)}`);
    }
  }
}

function summaryRows(status: RequestStatusJson): ResultRow[] {
  const counts = status.taskCounts;
  return [
    ["request", status.requestHash],
    ["status", status.status],
    ["tasks", `${counts.completed} completed, ${counts.failed} failed, ${counts.claimed} claimed, ${counts.pending} pending of ${counts.total}`],
    ...status.deals.flatMap((deal): ResultRow[] => [
      ["deal", deal.dealId],
      ...deal.tasks.map((task): ResultRow => [
        `  task ${task.index}`,
        `${task.status}${task.resultCid ? `  ${task.resultCid}` : ""}${task.failure ? `  ${task.failure.code}` : ""}`,
      ]),
    ]),
  ];
}

/** " (result <cid>)" for a completed task, " — <reason>" for a failed or claimed one. */
function taskDetail(task: TaskRecord): string {
  if (task.resultCid) return ` (result ${task.resultCid})`;
  return task.failure ? ` — ${describeTaskFailure(task.failure)}` : "";
}

/** TASK_FAILED naming each task that ended without a result (failed or claimed), and why. */
function throwIfAnyFailed(status: RequestStatusJson): void {
  const failed = status.deals.flatMap((deal) => deal.tasks.filter((task) => task.failure !== null));
  const count = BigInt(status.taskCounts.failed) + BigInt(status.taskCounts.claimed);
  if (count === 0n) return;
  const listed = failed
    .slice(0, LISTED_FAILURES)
    .map((task) => `task ${task.index} of deal ${short(task.dealId)}: ${task.failure!.code}${attemptsOf(task)}`);
  const more = failed.length > LISTED_FAILURES ? "; …" : "";
  throw new CliError(
    "TASK_FAILED",
    `Request ${status.requestHash}: ${count} of ${status.taskCounts.total} task(s) failed (${listed.join("; ")}${more})`,
    {
      hash: status.requestHash,
      status: status.status,
      failures: failed.slice(0, MAX_FAILURE_DETAILS).map((task) => ({ dealId: task.dealId, index: task.index, ...task.failure })),
    },
  );
}

function attemptsOf(task: TaskRecord): string {
  const attempts = task.failure?.attempts;
  return attempts === null || attempts === undefined ? "" : ` after ${attempts} attempt${attempts === 1 ? "" : "s"}`;
}

function short(id: string): string {
  return `${id.slice(0, 10)}…`;
}
