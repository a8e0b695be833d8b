// A pipeline as the market's GET /v1/pipelines/{id} shows it, and the body of POST /v1/pipelines:
// each stage's state, its request order, its deal and task, and where its output is; read by
// `continuum pipeline watch`, the explorer and the workers that fetch a parent stage's output.
import type { PipelineDocument, StageInput } from "../pipelines/pipelineDocument.ts";
import type { OrderJson } from "./orderJson.ts";

/**
 * `waiting`: an input is not ready, its order is held back (never in the book, so never matched or
 * paid); `published`: in the book; `matched`: a deal holds its task, no result yet (the chain
 * records no start, so a running task reads as matched); `completed`: its result is on-chain;
 * `failed`: its task failed or was claimed, its deadline passed without a result, or the book
 * refused its order; `dropped`: an upstream stage failed, its order is never published.
 */
export const STAGE_STATES = ["waiting", "published", "matched", "completed", "failed", "dropped"] as const;
export type StageState = (typeof STAGE_STATES)[number];

/** `running` until every final stage completed, or a stage failed. */
export const PIPELINE_STATES = ["running", "completed", "failed"] as const;
export type PipelineState = (typeof PIPELINE_STATES)[number];

/** Why a stage failed: the task's failure code (TASK_FAILED_*, DEADLINE_PASSED) or the book's refusal of its order. */
export type StageFailureJson = { code: string; message: string };

export type PipelineStageStatusJson = {
  id: string;
  app: string;
  inputs: StageInput[];
  /** The stages that read this one's output. */
  children: string[];
  /** Whether the output goes to the requester (no stage reads it). */
  final: boolean;
  state: StageState;
  /** The hash of the stage's signed request order (its signature is never shown before it is published). */
  requestHash: string;
  publishedAt: string | null;
  dealId: string | null;
  taskIndex: string | null;
  taskId: string | null;
  /** Where the stage's output is, once its result is on-chain: sealed under the stage's intermediate key, or to the requester for a final stage. */
  resultCid: string | null;
  resultDigest: string | null;
  failure: StageFailureJson | null;
};

export type PipelineStatusJson = {
  id: string;
  name: string;
  requester: string;
  state: PipelineState;
  /** The stage whose failure failed the pipeline, with why. */
  failure: (StageFailureJson & { stage: string }) | null;
  documentHash: string;
  salt: string;
  submittedAt: string;
  document: PipelineDocument;
  /** Stages in an order that lists every stage after the stages it reads. */
  stages: PipelineStageStatusJson[];
};

/** One stage's signed request order in a submission. */
export type StageOrderSubmission = { stage: string; order: OrderJson; signature: string };

/** The body of POST /v1/pipelines: the requester-signed pipeline, and every stage's signed request order. */
export type PipelineSubmissionBody = {
  pipeline: { document: PipelineDocument; requester: string; salt: string; signature: string };
  orders: StageOrderSubmission[];
};
