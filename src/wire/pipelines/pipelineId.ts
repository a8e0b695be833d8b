// Names a pipeline: the keccak256 of its document's canonical JSON, bound to the requester and a
// salt, so two submissions of one document are two pipelines and nobody else can claim an id.
import { AbiCoder, getAddress, keccak256, toUtf8Bytes } from "ethers";
import type { PipelineDocument } from "./pipelineDocument.ts";

/** JSON with object keys sorted at every depth and no spaces: one spelling per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** keccak256 of the document's canonical JSON (what the requester's PipelineSubmission signs). */
export function pipelineDocumentHash(document: PipelineDocument): string {
  return keccak256(toUtf8Bytes(canonicalJson(document)));
}

/** keccak256(abi.encode(documentHash, requester, salt)): the pipeline id the stages' params carry. */
export function pipelineIdOf(documentHash: string, requester: string, salt: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["bytes32", "address", "bytes32"], [documentHash, getAddress(requester), salt]));
}
