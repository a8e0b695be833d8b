// A requester's signature of a pipeline: an EIP-712 `PipelineSubmission { address requester;
// bytes32 documentHash; bytes32 salt }` in the deployment's domain. documentHash is keccak256 of the
// document's canonical JSON (src/wire/pipelines/pipelineId.ts); the pipeline id derives from the
// three fields, so a signature names exactly one pipeline, on one chain and deployment.
import { verifyTypedData, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";

export const PIPELINE_SUBMISSION_TYPES: Record<string, TypedDataField[]> = {
  PipelineSubmission: [
    { name: "requester", type: "address" },
    { name: "documentHash", type: "bytes32" },
    { name: "salt", type: "bytes32" },
  ],
};

export type PipelineSubmission = { requester: string; documentHash: string; salt: string };

export function signPipelineSubmission(signer: Signer, domain: TypedDataDomain, message: PipelineSubmission): Promise<string> {
  return signer.signTypedData(domain, PIPELINE_SUBMISSION_TYPES, message);
}

/** The address that signed the submission; throws on a malformed signature. */
export function recoverPipelineSubmissionSigner(domain: TypedDataDomain, message: PipelineSubmission, signature: string): string {
  return verifyTypedData(domain, PIPELINE_SUBMISSION_TYPES, message, signature);
}
