// Public API of the workerpool scheduler: start it as a service with a close() handle; the task
// states and typed errors callers switch on.
export { schedulerDatabaseName, startScheduler, type RunningScheduler, type StartSchedulerOptions } from "./startScheduler.ts";
export { SchedulerError, type SchedulerErrorCode } from "./SchedulerError.ts";
export { TASK_STATES, TASK_TRANSITIONS, type TaskState } from "./tasks/taskStates.ts";
