// A pipeline as it travels to the market and the SMS: the document, the requester, a salt and the
// requester's PipelineSubmission signature. Both services read it with verifySignedPipeline, which
// refuses a malformed document, a broken DAG or a signature by anyone but the requester.
import { getAddress, type TypedDataDomain } from "ethers";
import { z } from "zod";
import { recoverPipelineSubmissionSigner } from "../eip712/pipelineSubmission.ts";
import { PipelineError } from "./PipelineError.ts";
import { judgePipelineGraph, type PipelineGraph } from "./pipelineGraph.ts";
import { pipelineDocumentSchema, type PipelineDocument } from "./pipelineDocument.ts";
import { pipelineDocumentHash, pipelineIdOf } from "./pipelineId.ts";

/** Keys of a stage's request params the pipeline itself writes; a stage's own params may not use them. */
export const RESERVED_STAGE_PARAMS = ["pipeline", "stage"] as const;

const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "32 bytes as 0x-prefixed hex");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an address as 0x-prefixed hex");
const signature = z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature as 0x-prefixed hex");

/** The JSON of a signed pipeline; the document is checked by readPipelineDocument, not here. */
export const signedPipelineSchema = z.strictObject({
  document: z.unknown(),
  requester: address,
  salt: bytes32,
  signature,
});

export type SignedPipeline = { document: PipelineDocument; requester: string; salt: string; signature: string };

/** A pipeline whose document, DAG and signature were checked. */
export type VerifiedPipeline = SignedPipeline & { id: string; documentHash: string; graph: PipelineGraph };

/** The document with its DAG judged; throws PipelineError naming the first problem (all of them in details.problems). */
export function readPipelineDocument(json: unknown): { document: PipelineDocument; graph: PipelineGraph } {
  const parsed = pipelineDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    const first = issues[0]!;
    throw new PipelineError("INVALID_PIPELINE", `the pipeline document is not valid: ${first.path || "(document)"}: ${first.message}`, { issues });
  }
  const document = parsed.data;
  for (const stage of document.stages) {
    const reserved = RESERVED_STAGE_PARAMS.find((key) => stage.params !== undefined && key in stage.params);
    if (reserved !== undefined) {
      throw new PipelineError("RESERVED_STAGE_PARAM", `stage ${stage.id}'s params may not set ${reserved}: the pipeline writes it`, { stage: stage.id });
    }
  }
  const judged = judgePipelineGraph(document);
  if (!judged.ok) {
    const [first] = judged.problems;
    throw new PipelineError(first!.code, first!.message, { problems: judged.problems });
  }
  return { document, graph: judged.graph };
}

/** The pipeline with its id, once the document, the DAG and the requester's signature hold. */
export function verifySignedPipeline(domain: TypedDataDomain, json: unknown): VerifiedPipeline {
  const parsed = signedPipelineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PipelineError("INVALID_PIPELINE", `the signed pipeline is not valid: ${issue.path.join(".") || "(body)"}: ${issue.message}`);
  }
  const { document, graph } = readPipelineDocument(parsed.data.document);
  const requester = getAddress(parsed.data.requester);
  const salt = parsed.data.salt.toLowerCase();
  const documentHash = pipelineDocumentHash(document);
  let signer: string | undefined;
  try {
    signer = getAddress(recoverPipelineSubmissionSigner(domain, { requester, documentHash, salt }, parsed.data.signature));
  } catch {
    signer = undefined;
  }
  if (signer !== requester) {
    throw new PipelineError("INVALID_PIPELINE_SIGNATURE", `the pipeline is not signed by its requester ${requester} in this deployment's domain`);
  }
  return { document, requester, salt, signature: parsed.data.signature, id: pipelineIdOf(documentHash, requester, salt), documentHash, graph };
}
