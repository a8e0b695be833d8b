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

/** The HTTP status of each code, for every service that takes pipelines (the market, the SMS). */
export const PIPELINE_ERROR_STATUS = {
  INVALID_PIPELINE: 400,
  DUPLICATE_STAGE: 400,
  UNKNOWN_STAGE_INPUT: 400,
  DUPLICATE_INPUT: 400,
  TOO_MANY_DATASETS: 400,
  PIPELINE_CYCLE: 400,
  NEVER_READY: 400,
  RESERVED_STAGE_PARAM: 400,
  STAGE_ORDER_MISMATCH: 400,
  INVALID_PIPELINE_SIGNATURE: 401,
} as const satisfies Readonly<Record<PipelineErrorCode, number>>;
