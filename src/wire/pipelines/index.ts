// Confidential pipelines on the wire: the document and its JSON Schema, the DAG judgment, the
// pipeline id, the requester's signed submission and each stage's request order. The market, the
// SMS, the CLI and the enclave read pipelines through these and nothing else.
export * from "./pipelineDocument.ts";
export * from "./pipelineGraph.ts";
export * from "./pipelineId.ts";
export * from "./signedPipeline.ts";
export * from "./stageOrders.ts";
export * from "./PipelineError.ts";
export * from "./signPipeline.ts";
