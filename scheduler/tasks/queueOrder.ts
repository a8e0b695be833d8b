// The order in which waiting tasks reach workers. TaskRepository.assignNext applies it in SQL:
// 1. priority class (urgent, then normal, then batch);
// 2. within a class, the requester holding the fewest assigned or running tasks, so that one
//    requester's large deal cannot starve another requester's single task;
// 3. the least deadline slack (deadline minus the run time the category allows);
// 4. deal id, then task index, so the order is total and a deal's tasks go in index order.
import { PRIORITY_CLASSES, type PriorityClass } from "../../src/wire/requestParams.ts";

/** 0 for urgent, 1 for normal, 2 for batch: the stored form, lowest first. */
export function priorityRank(priority: PriorityClass): number {
  return PRIORITY_CLASSES.indexOf(priority);
}

/** The class of a stored rank; an unknown rank reads as normal. */
export function priorityOfRank(rank: number): PriorityClass {
  return PRIORITY_CLASSES[rank] ?? "normal";
}

/** Seconds a waiting task can still wait before a run of `maxRunTime` seconds would miss its deadline. */
export function deadlineSlack(deadline: number, maxRunTime: number, nowSeconds: number): number {
  return deadline - maxRunTime - nowSeconds;
}
