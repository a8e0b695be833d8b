// A local worker fleet sized by the scheduler's queue: the HPA rule, the fleet that launches and
// drains workers (in this process or each in a child process), the autoscaler that joins them, and the queue reader.
export { Autoscaler, type AutoscaleSample, type AutoscalerOptions } from "./Autoscaler.ts";
export { fetchQueue } from "./fetchQueue.ts";
export { decideScale, type QueueSignal, type Recommendation, type ScaleDecision, type ScalePolicy, type ScaleReason } from "./scaleDecision.ts";
export { processLauncher, type ProcessLauncherOptions, type WorkerProcess } from "./processLauncher.ts";
export { WorkerFleet, type FleetMember, type LaunchWorker } from "./WorkerFleet.ts";
