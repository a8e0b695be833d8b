// OpenAPI documentation of the pipeline routes: the submission (the requester-signed document and
// each stage's signed request order), the progress of every stage, and the document's JSON Schema.
import { jsonRequestBody, jsonResponse } from "../../http/openApiSchemas.ts";
import type { OpenApiPaths } from "../../http/routeModule.ts";
import { PIPELINE_STATES, STAGE_STATES } from "../../wire/marketApi/pipelineStatus.ts";
import { pipelineJsonSchema, PIPELINE_ERROR_STATUS } from "../../wire/pipelines/index.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const HASH = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" };
const nullable = (schema: Record<string, unknown>, description?: string) => ({ ...schema, type: [schema.type as string, "null"], ...(description ? { description } : {}) });
const { $schema: _schema, $id: _id, ...DOCUMENT } = pipelineJsonSchema();
const FAILURE = {
  type: "object",
  required: ["code", "message"],
  properties: {
    code: { type: "string", description: "TASK failure codes (REQUESTER_CAUSED, DATASET_OWNER_CAUSED, APP_OWNER_CAUSED, DEADLINE_PASSED), the book's refusal code, or UPSTREAM_FAILED for a dropped stage" },
    message: { type: "string" },
  },
};

const STAGE = {
  type: "object",
  required: ["id", "app", "inputs", "children", "final", "state", "requestHash", "publishedAt", "dealId", "taskIndex", "taskId", "resultCid", "resultDigest", "failure"],
  properties: {
    id: { type: "string" },
    app: { type: "string" },
    inputs: { type: "array", items: { type: "object" }, description: "as in the document: {dataset} or {stage}" },
    children: { type: "array", items: { type: "string" }, description: "the stages that read this stage's output" },
    final: { type: "boolean", description: "no stage reads its output: it is sealed to the requester's result key" },
    state: {
      type: "string",
      enum: [...STAGE_STATES],
      description:
        "waiting: an input is not ready, its order is held back (never in the book, never matched or paid); published: in the book; " +
        "matched: a deal holds its task and no result is on-chain yet (the chain records no start, so a running task reads as " +
        "matched); completed: its result is on-chain; failed: its task failed or was claimed, its deadline passed without a result, " +
        "or the book refused its order; dropped: an upstream stage failed, its order is never published",
    },
    requestHash: HASH,
    publishedAt: { type: ["string", "null"], format: "date-time" },
    dealId: nullable(HASH),
    taskIndex: { type: ["string", "null"] },
    taskId: nullable(HASH),
    resultCid: { type: ["string", "null"], description: "the stage's output: sealed under its intermediate key, or to the requester for a final stage" },
    resultDigest: { type: ["string", "null"] },
    failure: { oneOf: [FAILURE, { type: "null" }] },
  },
};

const STATUS = {
  type: "object",
  required: ["id", "name", "requester", "state", "failure", "documentHash", "salt", "submittedAt", "document", "stages"],
  properties: {
    id: { ...HASH, description: "keccak256(abi.encode(documentHash, requester, salt)); each stage's request params carry it as `pipeline`" },
    name: { type: "string" },
    requester: { type: "string" },
    state: { type: "string", enum: [...PIPELINE_STATES], description: "running until every final stage completed (completed) or a stage failed (failed)" },
    failure: { oneOf: [{ ...FAILURE, required: ["stage", "code", "message"], properties: { ...FAILURE.properties, stage: { type: "string" } } }, { type: "null" }] },
    documentHash: HASH,
    salt: HASH,
    submittedAt: { type: "string", format: "date-time" },
    document: ref("PipelineDocument"),
    stages: { type: "array", items: ref("PipelineStage"), description: "every stage after the stages it reads" },
  },
};

const SUBMISSION = {
  type: "object",
  required: ["pipeline", "orders"],
  properties: {
    pipeline: {
      type: "object",
      required: ["document", "requester", "salt", "signature"],
      properties: {
        document: ref("PipelineDocument"),
        requester: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" },
        salt: HASH,
        signature: { type: "string", description: "EIP-712 PipelineSubmission(requester, documentHash, salt) by the requester; documentHash = keccak256 of the document's canonical JSON (keys sorted, no spaces)" },
      },
    },
    orders: {
      type: "array",
      description:
        "One signed request order per stage, saying what the document says (stageRequestOrder in src/wire/pipelines): the stage's app, dataset, " +
        "workerpool, category and max prices, volume 1, the TEE tag, the requester as beneficiary, params {...stage params, pipeline, stage}; " +
        "one result key for all.",
      items: {
        type: "object",
        required: ["stage", "order", "signature"],
        properties: { stage: { type: "string" }, order: { type: "object", description: "a request order as POST /v1/requests takes it (uint256 as decimal strings)" }, signature: { type: "string" } },
      },
    },
  },
};

const PIPELINE_CODES = Object.keys(PIPELINE_ERROR_STATUS);

export const PIPELINE_PATHS: OpenApiPaths = {
  "/v1/pipelines": {
    post: {
      summary: "Submit a pipeline: a DAG of stages whose intermediate outputs stay sealed between enclaves",
      description:
        "Register the signed pipeline with the SMS first (its POST /v1/pipelines), so the stages' enclaves can receive their intermediate " +
        "keys. The market checks the document (schema, DAG: no cycle, no unknown input, at most one dataset per stage), the requester's " +
        "signature and every stage order, stores them, and publishes the orders of the stages that read no other stage before answering. " +
        "Every other stage's order is held back until the stages it reads completed; when a stage finally fails, the pipeline fails and " +
        "the orders still held back are dropped. A root order the book refuses fails the pipeline at once (state and failure say why).",
      operationId: "submitPipeline",
      requestBody: jsonRequestBody(ref("PipelineSubmission")),
      responses: { "201": jsonResponse("the pipeline, as GET /v1/pipelines/{id} shows it", ref("PipelineStatus")) },
      errors: [...PIPELINE_CODES, "INVALID_ORDER", "BAD_SIGNATURE", "PIPELINE_EXISTS", "CHAIN_UNAVAILABLE"],
    },
  },
  "/v1/pipelines/schema": {
    get: {
      summary: "The pipeline document's JSON Schema (draft 2020-12)",
      operationId: "pipelineSchema",
      responses: { "200": jsonResponse("the JSON Schema", { type: "object" }) },
    },
  },
  "/v1/pipelines/{id}": {
    get: {
      summary: "A pipeline's progress: each stage's state, request, deal, task and result",
      operationId: "getPipeline",
      parameters: [{ name: "id", in: "path", required: true, schema: HASH }],
      responses: { "200": jsonResponse("the pipeline", ref("PipelineStatus")) },
      errors: ["INVALID_PIPELINE_ID", "PIPELINE_NOT_FOUND", "CHAIN_UNAVAILABLE"],
    },
  },
};

export const PIPELINE_SCHEMAS: Record<string, unknown> = {
  PipelineDocument: DOCUMENT,
  PipelineStage: STAGE,
  PipelineStatus: STATUS,
  PipelineSubmission: SUBMISSION,
};
