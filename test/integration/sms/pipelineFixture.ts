// Pipelines for SMS tests: a signed registration body, and a matched deal for one stage of a
// pipeline on the in-process chain (app 1, dataset 1 when the stage reads it).
import { hexlify, randomBytes, type Signer } from "ethers";
import { signPipelineSubmission } from "../../../src/wire/eip712/index.ts";
import { pipelineDocumentHash, pipelineIdOf, stageRequestParams, type PipelineDocument, type PipelineStage } from "../../../src/wire/pipelines/index.ts";
import { defaultOrders, emptyDatasetOrder, matchDeal, requestOrder } from "../../helpers/protocolFixture.ts";
import type { Harness, HttpResult } from "./smsHarness.ts";

const PRICES = { app: "5", dataset: "3", workerpool: "10" };

function stage(id: string, inputs: PipelineStage["inputs"], app = "1"): PipelineStage {
  return { id, app, inputs, category: "1", prices: PRICES };
}

/**
 * A reads dataset 1, B reads nothing; C joins A and B (fan-in), D reads B only. C and D are final:
 * A and B have intermediate keys; D is C's sibling and never reads A.
 */
export function fanInDocument(name = "fan-in"): PipelineDocument {
  return {
    version: 1,
    name,
    stages: [
      stage("A", [{ dataset: "1" }]),
      stage("B", []),
      stage("C", [{ stage: "A" }, { stage: "B" }]),
      stage("D", [{ stage: "B" }]),
    ],
  };
}

export type SignedPipelineBody = { document: unknown; requester: string; salt: string; signature: string };

/** The registration body of `document`, signed by `signer` (the requester by default) for `requester`. */
export async function signedPipeline(
  h: Harness,
  document: PipelineDocument,
  options: { requester?: string; signer?: Signer; salt?: string } = {},
): Promise<{ body: SignedPipelineBody; id: string }> {
  const requester = options.requester ?? h.f.requester.address;
  const salt = options.salt ?? hexlify(randomBytes(32));
  const documentHash = pipelineDocumentHash(document);
  const signature = await signPipelineSubmission(options.signer ?? h.f.requester, h.f.domain, { requester, documentHash, salt });
  return { body: { document, requester, salt, signature }, id: pipelineIdOf(documentHash, requester, salt) };
}

/** Registers the document with the SMS; throws unless it answers 201. */
export async function registeredPipeline(h: Harness, document: PipelineDocument, options: Parameters<typeof signedPipeline>[2] = {}) {
  const { body, id } = await signedPipeline(h, document, options);
  const result: HttpResult = await h.post("/v1/pipelines", body);
  if (result.status !== 201) throw new Error(`the pipeline was not registered: ${result.text}`);
  return { id, body, result };
}

/** A matched deal for `stageId` of pipeline `id`, as its requester's stage order would give; `dataset` overrides the stage's. */
export async function stageDeal(h: Harness, id: string, document: PipelineDocument, stageId: string, options: { dataset?: bigint; app?: bigint } = {}) {
  const found = document.stages.find((candidate) => candidate.id === stageId) ?? stage(stageId, []);
  const dataset = options.dataset ?? (found.inputs.some((input) => "dataset" in input) ? 1n : 0n);
  const params = stageRequestParams(id, found);
  const request = await requestOrder(h.f, { app: options.app ?? 1n, dataset, datasetMaxPrice: dataset === 0n ? 0n : 3n, params });
  const orders = await defaultOrders(h.f, { request, ...(dataset === 0n ? { dataset: emptyDatasetOrder() } : {}) });
  return matchDeal(h.f, orders);
}
