// Public API of the worker process: start one against a scheduler with a close() handle, the
// events it reports per task step, and the typed failures of its talk with the scheduler.
export { startWorker, type RunningWorker, type StartWorkerOptions } from "./startWorker.ts";
export { createWorkerMetrics, type WorkerMetrics, type WorkerPhase } from "./workerMetrics.ts";
export { Worker, type WorkerOptions, type WorkerTaskEvent } from "./Worker.ts";
export { WorkerError, type WorkerErrorCode } from "./WorkerError.ts";
