// Checks a POST /v1/pipelines body before anything is stored: the requester-signed pipeline (its
// schema, DAG and signature), then exactly one signed request order per stage that says what the
// document says for that stage (stageOrderMismatch), signed by the pipeline's requester, all with
// one result key. Nothing is published here; the orchestrator publishes a stage once it is ready.
import { getAddress, type TypedDataDomain } from "ethers";
import { z } from "zod";
import { orderToJson } from "../../wire/marketApi/orderJson.ts";
import { PipelineError, stageOrderMismatch, verifySignedPipeline, MAX_PIPELINE_STAGES } from "../../wire/pipelines/index.ts";
import { MarketError } from "../MarketError.ts";
import { describeIssues, parsePublishBody } from "../book/orderSchemas.ts";
import type { OrderDigester } from "../book/orderDigester.ts";
import type { NewPipeline } from "./PipelineStore.ts";

export const pipelineSubmissionSchema = z.strictObject({
  pipeline: z.unknown(),
  orders: z.array(z.strictObject({ stage: z.string(), order: z.unknown(), signature: z.string() })).min(1).max(MAX_PIPELINE_STAGES),
});

export function readPipelineSubmission(domain: TypedDataDomain, digester: OrderDigester, body: unknown): NewPipeline {
  const parsed = pipelineSubmissionSchema.safeParse(body);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    throw new PipelineError("INVALID_PIPELINE", `the pipeline submission is malformed: ${issues[0]!.path} ${issues[0]!.message}`, { issues });
  }
  const pipeline = verifySignedPipeline(domain, parsed.data.pipeline);
  const byStage = new Map<string, (typeof parsed.data.orders)[number]>();
  for (const submitted of parsed.data.orders) {
    if (byStage.has(submitted.stage)) throw mismatch(`two orders are given for stage ${submitted.stage}`, submitted.stage);
    byStage.set(submitted.stage, submitted);
  }
  const stray = [...byStage.keys()].find((stage) => !pipeline.graph.order.includes(stage));
  if (stray !== undefined) throw mismatch(`an order is given for stage ${stray}, which the pipeline does not have`, stray);
  let resultPublicKey: string | undefined;
  const stages = pipeline.graph.order.map((id, position) => {
    const submitted = byStage.get(id);
    if (submitted === undefined) throw mismatch(`stage ${id} has no signed request order`, id);
    const { order, signature } = parsePublishBody("request", { order: submitted.order, signature: submitted.signature });
    const definition = pipeline.document.stages.find((stage) => stage.id === id)!;
    const field = stageOrderMismatch(pipeline.id, definition, pipeline.requester, order);
    if (field !== undefined) throw mismatch(`stage ${id}'s order does not say what the document says: ${field} differs`, id, { field });
    resultPublicKey ??= order.resultPublicKey.toLowerCase();
    if (order.resultPublicKey.toLowerCase() !== resultPublicKey) throw mismatch(`stage ${id}'s order names another result key than the other stages'`, id);
    const requestHash = digester.digest("request", order);
    let signer: string | undefined;
    try {
      signer = getAddress(digester.recover(requestHash, signature));
    } catch {
      signer = undefined;
    }
    if (signer !== pipeline.requester) {
      throw new MarketError("BAD_SIGNATURE", `stage ${id}'s request order is not signed by the pipeline's requester ${pipeline.requester}`, { stage: id });
    }
    return { stage: id, position, requestHash, order: orderToJson("request", order), signature };
  });
  return {
    id: pipeline.id,
    requester: pipeline.requester,
    name: pipeline.document.name,
    documentHash: pipeline.documentHash,
    salt: pipeline.salt,
    signature: pipeline.signature,
    document: pipeline.document,
    stages,
  };
}

function mismatch(message: string, stage: string, details: Record<string, unknown> = {}): PipelineError {
  return new PipelineError("STAGE_ORDER_MISMATCH", message, { stage, ...details });
}
