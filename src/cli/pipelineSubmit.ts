// `continuum pipeline submit`: reads a pipeline document, judges it (schema and DAG) before anything
// is signed, signs the pipeline and every stage's request order, registers the pipeline with the
// SMS (so its stages' enclaves can receive intermediate keys), then submits it to the market, which
// publishes each stage's order once its inputs are ready.
import { readFile } from "node:fs/promises";
import type { PipelineStatusJson } from "../wire/marketApi/pipelineStatus.ts";
import { readPipelineDocument, signPipeline } from "../wire/pipelines/index.ts";
import { withChain } from "./chain.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { marketClient } from "./orderLifecycle.ts";
import { chainTime, domainOf } from "./orderTerms.ts";
import type { ResultRow } from "./output.ts";
import { readResultPublicKey } from "./resultKey.ts";
import { ServiceClient } from "./serviceClient.ts";

export type PipelineSubmitOptions = { resultKey?: string; expiresIn: bigint };

export async function submitPipeline(context: CliContext, file: string, options: PipelineSubmitOptions): Promise<void> {
  const path = context.resolvePath(file);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CliError("INVALID_PIPELINE", `${path} is not JSON: ${error.message}`, { path });
    throw error;
  }
  const { document, graph } = readPipelineDocument(json);
  const resultPublicKey = await readResultPublicKey(context, options.resultKey);
  const sms = new ServiceClient("SMS", context.smsUrl());
  const market = marketClient(context);
  await withChain(context, { signer: true }, async (chain) => {
    const expiry = (await chainTime(chain)) + options.expiresIn;
    const signed = await signPipeline(chain.signer, domainOf(chain), document, { resultPublicKey, expiry });
    context.output.status(`registering pipeline ${signed.id} (${graph.order.length} stages) with the SMS at ${sms.baseUrl} ...`);
    await sms.post("/pipelines", signed.body.pipeline);
    context.output.status(`submitting it to the market at ${market.baseUrl} ...`);
    const status = await market.post<PipelineStatusJson>("/pipelines", signed.body);
    context.output.result({ ...status }, pipelineRows(status));
    if (status.state === "failed") throw pipelineFailed(status);
  });
}

/** The pipeline's state, then one row per stage: state, deal and task, result or failure. */
export function pipelineRows(status: PipelineStatusJson): ResultRow[] {
  return [
    ["pipeline", status.id],
    ["name", status.name],
    ["state", status.state],
    ...status.stages.map((stage): ResultRow => [`  ${stage.id}`, stageLine(stage)]),
  ];
}

export function stageLine(stage: PipelineStatusJson["stages"][number]): string {
  const parts: string[] = [stage.state];
  if (stage.dealId !== null) parts.push(`deal ${stage.dealId.slice(0, 10)}… task ${stage.taskIndex}`);
  if (stage.resultCid !== null) parts.push(`result ${stage.resultCid}${stage.final ? "" : " (sealed for the next stages)"}`);
  if (stage.failure !== null) parts.push(`${stage.failure.code}: ${stage.failure.message}`);
  return parts.join(", ");
}

export function pipelineFailed(status: PipelineStatusJson): CliError {
  const failure = status.failure;
  return new CliError(
    "PIPELINE_FAILED",
    `Pipeline ${status.id} failed${failure ? ` at stage ${failure.stage}: ${failure.code}: ${failure.message}` : ""}`,
    { id: status.id, ...(failure ?? {}) },
  );
}
