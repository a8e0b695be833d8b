// Everything a requester signs to submit a pipeline, in one call: the PipelineSubmission over the
// document, and one request order per stage (stageRequestOrder) with its EIP-712 signature. The
// result is the body of the market's POST /v1/pipelines; its `pipeline` part is the body of the
// SMS's POST /v1/pipelines.
import { hexlify, randomBytes, type Signer, type TypedDataDomain } from "ethers";
import { signOrder } from "../eip712/signing.ts";
import { signPipelineSubmission } from "../eip712/pipelineSubmission.ts";
import type { RequestOrder } from "../eip712/types.ts";
import { orderToJson } from "../marketApi/orderJson.ts";
import type { PipelineSubmissionBody } from "../marketApi/pipelineStatus.ts";
import type { PipelineDocument } from "./pipelineDocument.ts";
import { pipelineDocumentHash, pipelineIdOf } from "./pipelineId.ts";
import { readPipelineDocument } from "./signedPipeline.ts";
import { stageRequestOrder } from "./stageOrders.ts";

export type PipelineSigningTerms = {
  /** The requester's X25519 result public key (bytes32 hex): only final stages' outputs are sealed to it. */
  resultPublicKey: string;
  /** Unix time after which no stage order can be matched: it must leave every stage time to become ready. */
  expiry: bigint;
  /** 32 bytes naming this submission; random when absent. */
  salt?: string;
};

export type SignedPipelineSubmission = {
  id: string;
  body: PipelineSubmissionBody;
  /** Each stage's typed order, by stage id, as signed. */
  orders: ReadonlyMap<string, { order: RequestOrder; signature: string }>;
};

/** Judges the document (throws PipelineError), then signs the pipeline and every stage's order with `signer`. */
export async function signPipeline(signer: Signer, domain: TypedDataDomain, given: PipelineDocument, terms: PipelineSigningTerms): Promise<SignedPipelineSubmission> {
  // What is hashed and sent is the document as the services will read it back.
  const { document, graph } = readPipelineDocument(given);
  const requester = await signer.getAddress();
  const salt = terms.salt ?? hexlify(randomBytes(32));
  const documentHash = pipelineDocumentHash(document);
  const id = pipelineIdOf(documentHash, requester, salt);
  const signature = await signPipelineSubmission(signer, domain, { requester, documentHash, salt });
  const orders = new Map<string, { order: RequestOrder; signature: string }>();
  for (const stageId of graph.order) {
    const stage = document.stages.find((candidate) => candidate.id === stageId)!;
    const order = stageRequestOrder(id, stage, { requester, resultPublicKey: terms.resultPublicKey, salt: hexlify(randomBytes(32)), expiry: terms.expiry });
    orders.set(stageId, { order, signature: await signOrder("request", signer, domain, order) });
  }
  return {
    id,
    body: {
      pipeline: { document, requester, salt, signature },
      orders: [...orders].map(([stage, { order, signature: orderSignature }]) => ({ stage, order: orderToJson("request", order), signature: orderSignature })),
    },
    orders,
  };
}
