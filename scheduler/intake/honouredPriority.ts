// Which priority class the scheduler queues a deal in: the class its params ask for, except that
// `urgent` is honoured only for deals paying the workerpool at least the pool's urgent price per
// task, so the class a requester asks for is one somebody paid for. Params the SMS would refuse
// (src/wire/requestParams.ts) queue as normal: the task fails at the SMS either way.
import { DEFAULT_PRIORITY_CLASS, readRequestParams, type PriorityClass } from "../../src/wire/requestParams.ts";

export type HonouredPriority = { priority: PriorityClass; demoted: boolean };

export function honouredPriority(params: string, workerpoolPrice: bigint, urgentMinPrice: bigint): HonouredPriority {
  const read = readRequestParams(params);
  if (!read.ok) return { priority: DEFAULT_PRIORITY_CLASS, demoted: false };
  if (read.priority === "urgent" && workerpoolPrice < urgentMinPrice) return { priority: "normal", demoted: true };
  return { priority: read.priority, demoted: false };
}
