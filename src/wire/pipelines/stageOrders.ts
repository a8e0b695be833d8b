// The request order of each stage, as the requester signs it at submission and as the market
// checks it: the stage's app, dataset, workerpool, category and prices from the document, volume 1,
// an enclave (TEE) tag, and params naming the pipeline and the stage beside the stage's own params.
import { getAddress } from "ethers";
import { TAG_TEE, type RequestOrder } from "../eip712/types.ts";
import { stageDatasets, type PipelineStage } from "./pipelineDocument.ts";

/** The params of a stage's request order: the stage's own, then `pipeline` and `stage`. */
export function stageRequestParams(pipelineId: string, stage: PipelineStage): string {
  return JSON.stringify({ ...stage.params, pipeline: pipelineId.toLowerCase(), stage: stage.id });
}

/** What the requester chooses per submission rather than per stage. */
export type StageOrderTerms = { requester: string; resultPublicKey: string; salt: string; expiry: bigint };

/** The tag every stage requires: an enclave, since only enclaves receive intermediate keys. */
export const STAGE_TAG = `0x${TAG_TEE.toString(16).padStart(64, "0")}`;

export function stageRequestOrder(pipelineId: string, stage: PipelineStage, terms: StageOrderTerms): RequestOrder {
  return {
    app: BigInt(stage.app),
    appMaxPrice: BigInt(stage.prices.app),
    dataset: stageDatasets(stage)[0] ?? 0n,
    datasetMaxPrice: BigInt(stage.prices.dataset),
    workerpool: stage.workerpool === undefined ? 0n : BigInt(stage.workerpool),
    workerpoolMaxPrice: BigInt(stage.prices.workerpool),
    requester: getAddress(terms.requester),
    volume: 1n,
    tag: STAGE_TAG,
    category: BigInt(stage.category),
    trust: 0n,
    beneficiary: getAddress(terms.requester),
    resultPublicKey: terms.resultPublicKey,
    params: stageRequestParams(pipelineId, stage),
    salt: terms.salt,
    expiry: terms.expiry,
  };
}

/**
 * The first field in which a signed stage order departs from the document, or undefined when it
 * says exactly what the document says (salt, expiry and result key are the requester's choice;
 * every stage of one pipeline must share one requester and one result key).
 */
export function stageOrderMismatch(pipelineId: string, stage: PipelineStage, requester: string, order: RequestOrder): string | undefined {
  const expected = stageRequestOrder(pipelineId, stage, { requester, resultPublicKey: order.resultPublicKey, salt: order.salt, expiry: order.expiry });
  for (const field of Object.keys(expected) as (keyof RequestOrder)[]) {
    const want = expected[field];
    const got = order[field];
    const same = typeof want === "string" && typeof got === "string" ? want.toLowerCase() === got.toLowerCase() : want === got;
    if (!same) return field;
  }
  return undefined;
}
