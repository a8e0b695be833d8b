// Which intermediate keys a deal's enclave may receive: only for a deal whose params name a stage of
// a registered pipeline, made by that pipeline's requester, for that stage's app and dataset. It
// then receives the keys of the stages it reads (its parents) and its own output key unless it is
// a final stage; never the key of a stage it does not read, and never another pipeline's.
import { getAddress } from "ethers";
import type { Deal } from "../../src/wire/eip712/types.ts";
import { judgePipelineGraph, stageDatasets, stageParents } from "../../src/wire/pipelines/index.ts";
import type { PipelineStageRef } from "../../src/wire/requestParams.ts";
import type { PipelineRepository } from "../persistence/PipelineRepository.ts";
import type { SealedSecret } from "../secrets/envelopeEncryption.ts";
import type { SessionRefusalReason } from "../sessions/sessionRefusals.ts";

export type StageKey = { stage: string; sealed: SealedSecret };

export type StageKeys =
  | { ok: true; pipeline: string; stage: string; inputs: StageKey[]; output: StageKey | null }
  | { ok: false; reason: SessionRefusalReason; detail: string };

export async function stageKeysFor(pipelines: PipelineRepository, deal: Deal, ref: PipelineStageRef): Promise<StageKeys> {
  const refuse = (reason: SessionRefusalReason, detail: string): StageKeys => ({ ok: false, reason, detail });
  const pipeline = await pipelines.find(ref.pipeline);
  if (pipeline === undefined) return refuse("PIPELINE_UNKNOWN", `pipeline ${ref.pipeline} is not registered with this SMS`);
  if (getAddress(pipeline.requester) !== getAddress(deal.requester)) {
    return refuse("PIPELINE_REQUESTER_MISMATCH", `pipeline ${ref.pipeline} is ${getAddress(pipeline.requester)}'s, not the deal's requester ${getAddress(deal.requester)}`);
  }
  const stage = pipeline.document.stages.find((candidate) => candidate.id === ref.stage);
  if (stage === undefined) return refuse("PIPELINE_STAGE_UNKNOWN", `pipeline ${ref.pipeline} has no stage ${ref.stage}`);
  if (BigInt(stage.app) !== deal.app) return refuse("PIPELINE_APP_MISMATCH", `stage ${ref.stage} runs app ${stage.app}, the deal app ${deal.app}`);
  const dataset = stageDatasets(stage)[0] ?? 0n;
  if (dataset !== deal.dataset) {
    return refuse("PIPELINE_DATASET_MISMATCH", `stage ${ref.stage} reads dataset ${dataset}, the deal dataset ${deal.dataset}`);
  }
  // The stored document was judged at registration; judged again here, the edges come from one place.
  const judged = judgePipelineGraph(pipeline.document);
  if (!judged.ok) return refuse("PIPELINE_UNKNOWN", `pipeline ${ref.pipeline}'s stored document no longer judges valid`);
  const keyOf = (id: string): StageKey | undefined => {
    const sealed = pipeline.keys.get(id);
    return sealed === undefined ? undefined : { stage: id, sealed };
  };
  const inputs: StageKey[] = [];
  for (const parent of stageParents(stage)) {
    const key = keyOf(parent);
    if (key === undefined) return refuse("PIPELINE_UNKNOWN", `pipeline ${ref.pipeline} holds no key for stage ${parent}`);
    inputs.push(key);
  }
  const final = judged.graph.children.get(stage.id)!.length === 0;
  const output = final ? null : keyOf(stage.id) ?? null;
  if (!final && output === null) return refuse("PIPELINE_UNKNOWN", `pipeline ${ref.pipeline} holds no key for stage ${stage.id}`);
  return { ok: true, pipeline: pipeline.id, stage: stage.id, inputs, output };
}
