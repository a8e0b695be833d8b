// Public API of the workerpool scheduler and its worker: start either one as a service with a
// close() handle; the task states and typed errors callers switch on.
export { startScheduler, type RunningScheduler, type SchedulerConfig } from "./startScheduler.ts";
export { startWorker, type RunningWorker } from "./worker/startWorker.ts";
export { Worker, type WorkerOptions, type WorkerTaskEvent } from "./worker/Worker.ts";
export { SchedulerError, type SchedulerErrorCode } from "./SchedulerError.ts";
export { TASK_STATES, TASK_TRANSITIONS, type TaskState } from "./tasks/taskStates.ts";
export type { Assignment } from "./tasks/TaskBoard.ts";
