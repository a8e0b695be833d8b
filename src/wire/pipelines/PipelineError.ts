// Why a pipeline was refused: its document's shape, its DAG, its signature, or a stage's request
// order that does not say what the document says. Every code is refused before anything is paid.
import { ContinuumError } from "../../core/ContinuumError.ts";
import type { PipelineProblemCode } from "./pipelineGraph.ts";

export type PipelineErrorCode =
  | "INVALID_PIPELINE"
  | PipelineProblemCode
  | "RESERVED_STAGE_PARAM"
  | "INVALID_PIPELINE_SIGNATURE"
  | "STAGE_ORDER_MISMATCH";

export class PipelineError extends ContinuumError<PipelineErrorCode> {}
