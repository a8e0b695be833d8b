// Names a pipeline: the keccak256 of its document's canonical JSON, bound to the requester and a
// salt, so two submissions of one document are two pipelines and nobody else can claim an id.
import { AbiCoder, getAddress, keccak256, toUtf8Bytes } from "ethers";
import { canonicalJson, type CanonicalValue } from "../../core/canonicalJson.ts";
import type { PipelineDocument } from "./pipelineDocument.ts";

/** keccak256 of the document's canonical JSON (what the requester's PipelineSubmission signs). */
export function pipelineDocumentHash(document: PipelineDocument): string {
  return keccak256(toUtf8Bytes(canonicalJson(document as unknown as CanonicalValue)));
}

/** keccak256(abi.encode(documentHash, requester, salt)): the pipeline id the stages' params carry. */
export function pipelineIdOf(documentHash: string, requester: string, salt: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "address", "bytes32"], [documentHash, getAddress(requester), salt]));
}
