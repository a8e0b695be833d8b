// The pipeline document a requester submits: a DAG of stages, each an app run on at most one
// dataset and on the outputs of earlier stages. This module owns its shape (the zod schema the
// published JSON Schema, pipeline.schema.json, is generated from); pipelineGraph.ts judges the DAG.
import { z } from "zod";

/** Version of the document format this code reads. */
export const PIPELINE_DOCUMENT_VERSION = 1;
/** Most stages one pipeline may hold. */
export const MAX_PIPELINE_STAGES = 32;
/** Most inputs one stage may take (at most one of them a dataset: a deal carries one). */
export const MAX_STAGE_INPUTS = 8;
/** A stage id: what a file name and a JSON key can hold without escaping. */
export const STAGE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

const uint256 = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, "a uint256 as a decimal string")
  .refine((value) => BigInt(value) < 1n << 256n, "a uint256 as a decimal string");
const positiveId = uint256.refine((value) => value !== "0", "an asset id above 0");
const stageId = z.string().regex(STAGE_ID, "a stage id: letters, digits, '_' and '-', at most 32, starting with a letter or digit");

export const stageInputSchema = z.union([
  z.strictObject({ dataset: positiveId.describe("a registered dataset's id") }),
  z.strictObject({ stage: stageId.describe("the id of an earlier stage whose output this stage reads") }),
]);

export const pipelineStageSchema = z.strictObject({
  id: stageId,
  app: positiveId.describe("the registered app this stage runs"),
  inputs: z.array(stageInputSchema).max(MAX_STAGE_INPUTS).describe("datasets (at most one) and earlier stages' outputs"),
  category: uint256.describe("the category of the stage's request order"),
  prices: z
    .strictObject({ app: uint256, dataset: uint256, workerpool: uint256 })
    .describe("the most the requester pays the app, the dataset and the workerpool for this stage (appMaxPrice, datasetMaxPrice, workerpoolMaxPrice)"),
  params: z
    .record(z.string(), z.json())
    .optional()
    .describe("the stage's own params, merged into the request order's params beside pipeline and stage"),
  workerpool: positiveId.optional().describe("the only workerpool that may run the stage; any, when absent"),
});

export const pipelineDocumentSchema = z
  .strictObject({
    version: z.literal(PIPELINE_DOCUMENT_VERSION),
    name: z.string().min(1).max(100),
    stages: z.array(pipelineStageSchema).min(1).max(MAX_PIPELINE_STAGES),
  })
  .describe("A Continuum pipeline: a DAG of stages whose intermediate outputs stay sealed between enclaves");

export type PipelineDocument = z.infer<typeof pipelineDocumentSchema>;
export type PipelineStage = z.infer<typeof pipelineStageSchema>;
export type StageInput = z.infer<typeof stageInputSchema>;

/** The JSON Schema (draft 2020-12) of the document, as pipeline.schema.json publishes it. */
export function pipelineJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://continuum.city/schemas/pipeline.schema.json",
    ...z.toJSONSchema(pipelineDocumentSchema, { target: "draft-2020-12" }),
  };
}

/** The datasets a stage reads (at most one in a valid document). */
export function stageDatasets(stage: PipelineStage): bigint[] {
  return stage.inputs.flatMap((input) => ("dataset" in input ? [BigInt(input.dataset)] : []));
}

/** The stages whose outputs a stage reads. */
export function stageParents(stage: PipelineStage): string[] {
  return stage.inputs.flatMap((input) => ("stage" in input ? [input.stage] : []));
}
