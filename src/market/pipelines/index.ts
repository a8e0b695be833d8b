// The market's pipelines: their tables, the submission check, the pure progress reading and the
// orchestrator that publishes each stage's order once its inputs are ready.
import { CreatePipelines1795600000000 } from "./migrations/1795600000000-CreatePipelines.ts";

export { PipelineStore, type StoredPipeline, type StoredStage, type NewPipeline } from "./PipelineStore.ts";
export { PipelineOrchestrator, type PipelineOrchestratorOptions } from "./PipelineOrchestrator.ts";
export { pipelineProgress, nextStep, type PipelineStep, type ChainRequests } from "./pipelineProgress.ts";
export { readPipelineSubmission } from "./pipelineSubmission.ts";

/** Every migration of the pipeline tables, oldest first. */
export const pipelineMigrations = [CreatePipelines1795600000000];
