// A pipeline's progress from what the market stored and what the chain says of each stage's request
// (its deal, its task, the task's result or failure) at one chain time: the one reading both the
// orchestrator acts on and GET /v1/pipelines/{id} answers with. Pure: no I/O.
import type { RequestStatusRecord } from "../../wire/marketApi/auditRecords.ts";
import type { PipelineStageStatusJson, PipelineStatusJson, StageFailureJson, StageState } from "../../wire/marketApi/pipelineStatus.ts";
import { describeTaskFailure } from "../../wire/marketApi/taskFailure.ts";
import { acceptsResultsAfter } from "../../wire/eip712/deadline.ts";
import { judgePipelineGraph, stageParents, type PipelineGraph } from "../../wire/pipelines/index.ts";
import type { StoredPipeline, StoredStage } from "./PipelineStore.ts";

/** What the chain says of each stage's request, by request hash (absent: no deal yet). */
export type ChainRequests = ReadonlyMap<string, RequestStatusRecord | undefined>;

export function graphOf(pipeline: Pick<StoredPipeline, "document">): PipelineGraph {
  const judged = judgePipelineGraph(pipeline.document);
  if (!judged.ok) throw new Error("a stored pipeline's document no longer judges valid");
  return judged.graph;
}

export function pipelineProgress(pipeline: StoredPipeline, chain: ChainRequests, chainTime: bigint): PipelineStatusJson {
  const graph = graphOf(pipeline);
  const stored = new Map(pipeline.stages.map((stage) => [stage.stage, stage]));
  const stages = graph.order.map((id) => stageProgress(pipeline, graph, stored.get(id)!, chain.get(stored.get(id)!.requestHash), chainTime));
  return {
    id: pipeline.id,
    name: pipeline.name,
    requester: pipeline.requester,
    state: pipeline.state,
    failure: pipeline.failure,
    documentHash: pipeline.documentHash,
    salt: pipeline.salt,
    submittedAt: pipeline.submittedAt.toISOString(),
    document: pipeline.document,
    stages,
  };
}

function stageProgress(
  pipeline: StoredPipeline,
  graph: PipelineGraph,
  stage: StoredStage,
  request: RequestStatusRecord | undefined,
  chainTime: bigint,
): PipelineStageStatusJson {
  const definition = pipeline.document.stages.find((candidate) => candidate.id === stage.stage)!;
  const deal = request?.deals[0];
  const task = deal?.tasks[0];
  const base = {
    id: stage.stage,
    app: definition.app,
    inputs: definition.inputs,
    children: [...graph.children.get(stage.stage)!],
    final: graph.children.get(stage.stage)!.length === 0,
    requestHash: stage.requestHash,
    publishedAt: stage.publishedAt?.toISOString() ?? null,
    dealId: deal?.dealId ?? null,
    taskIndex: task?.index ?? null,
    taskId: task?.taskId ?? null,
    resultCid: task?.resultCid ?? null,
    resultDigest: task?.resultDigest ?? null,
  };
  const at = (state: StageState, failure: StageFailureJson | null = null): PipelineStageStatusJson => ({ ...base, state, failure });
  if (stage.state === "refused") return at("failed", stage.failure);
  if (stage.state === "dropped") return at("dropped", stage.failure);
  if (stage.state === "waiting") return at("waiting");
  if (deal === undefined || task === undefined) return at("published");
  if (task.status === "completed") return at("completed");
  if (task.failure !== null) return at("failed", { code: task.failure.code, message: describeTaskFailure(task.failure) });
  if (!acceptsResultsAfter(chainTime, BigInt(deal.deadline))) {
    return at("failed", { code: "DEADLINE_PASSED", message: `no result by the deal's deadline ${deal.deadline} (chain time ${chainTime})` });
  }
  return at("matched");
}

/** What the orchestrator should do next, from a pipeline's progress. */
export type PipelineStep =
  | { kind: "publish"; stages: string[] }
  /** `drop`: stages still held back; `withdraw`: stages in the book without a deal yet, taken out of it. */
  | { kind: "fail"; stage: string; failure: StageFailureJson; drop: string[]; withdraw: string[] }
  | { kind: "complete" }
  | { kind: "wait" };

export function nextStep(progress: PipelineStatusJson): PipelineStep {
  const failed = progress.stages.find((stage) => stage.state === "failed");
  if (failed !== undefined) {
    const named = (state: StageState) => progress.stages.filter((stage) => stage.state === state).map((stage) => stage.id);
    return { kind: "fail", stage: failed.id, failure: failed.failure!, drop: named("waiting"), withdraw: named("published") };
  }
  if (progress.stages.filter((stage) => stage.final).every((stage) => stage.state === "completed")) return { kind: "complete" };
  const completed = new Set(progress.stages.filter((stage) => stage.state === "completed").map((stage) => stage.id));
  const ready = progress.stages.filter((stage) => {
    if (stage.state !== "waiting") return false;
    const definition = progress.document.stages.find((candidate) => candidate.id === stage.id)!;
    return stageParents(definition).every((parent) => completed.has(parent));
  });
  return ready.length > 0 ? { kind: "publish", stages: ready.map((stage) => stage.id) } : { kind: "wait" };
}
