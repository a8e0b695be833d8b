// The task state machine as a pure table: which state may follow which. Repositories consult it
// before every conditional UPDATE, so an unlisted change never reaches the database.
import { SchedulerError } from "../SchedulerError.ts";

export const TASK_STATES = [
  "waiting",
  "assigned",
  "running",
  "result_uploaded",
  "pushed",
  "completed",
  "failing",
  "failure_pushed",
  "failed",
  "claimed",
] as const;

export type TaskState = (typeof TASK_STATES)[number];

/**
 * Why each edge exists: assigned/running fall back to waiting when the worker is lost or fails
 * while the deadline allows; a pushed result is confirmed (completed), or goes back to
 * result_uploaded when its transaction was never mined and the chain has no result for it;
 * any unfinished task can be claimed on-chain after the deadline, and a result already on-chain
 * (pushed by an earlier run) completes a task from any live state. A failure the SMS blamed on
 * another party than the workerpool (a signed TaskFailure verdict) is failing until failTask
 * carries it on-chain (failure_pushed), and failed once that transaction is mined; an unmined one
 * goes back to failing.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskState, readonly TaskState[]>> = {
  waiting: ["assigned", "failed", "claimed", "completed"],
  assigned: ["running", "result_uploaded", "waiting", "failing", "failed", "claimed", "completed"],
  running: ["result_uploaded", "waiting", "failing", "failed", "claimed", "completed"],
  result_uploaded: ["pushed", "failed", "claimed", "completed"],
  pushed: ["completed", "result_uploaded", "failed", "claimed"],
  failing: ["failure_pushed", "failed", "claimed", "completed"],
  failure_pushed: ["failed", "failing", "claimed", "completed"],
  completed: [],
  failed: ["claimed", "completed"],
  claimed: [],
};

/** States a scheduler still has work for after a restart. */
export const UNFINISHED_STATES: readonly TaskState[] = [
  "waiting",
  "assigned",
  "running",
  "result_uploaded",
  "pushed",
  "failing",
  "failure_pushed",
];

export function isTaskState(value: unknown): value is TaskState {
  return typeof value === "string" && (TASK_STATES as readonly string[]).includes(value);
}

export function canTransition(from: TaskState, to: TaskState): boolean {
  return TASK_TRANSITIONS[from]?.includes(to) ?? false;
}

/** Throws INVALID_TRANSITION unless the table lists `from -> to`. */
export function assertTransition(from: TaskState, to: TaskState): void {
  if (!isTaskState(from) || !isTaskState(to) || !canTransition(from, to)) {
    throw new SchedulerError("INVALID_TRANSITION", `a task cannot go from ${String(from)} to ${String(to)}`, { from, to });
  }
}

export function isTerminal(state: TaskState): boolean {
  return TASK_TRANSITIONS[state].length === 0;
}
