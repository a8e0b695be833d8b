// A local worker fleet sized by the scheduler's queue: the HPA rule, the fleet that launches and
// drains workers, the autoscaler that joins them, and the queue reader.
export { Autoscaler, type AutoscaleSample, type AutoscalerOptions } from "./Autoscaler.ts";
export { fetchQueue } from "./fetchQueue.ts";
export { decideScale, type QueueSignal, type Recommendation, type ScaleDecision, type ScalePolicy, type ScaleReason } from "./scaleDecision.ts";
export { WorkerFleet, type LaunchWorker } from "./WorkerFleet.ts";
