// Turns the app's output directory into the task's result: the canonical archive, encrypted to the
// beneficiary's X25519 key (or, for a pipeline stage another stage reads, sealed under the stage's
// intermediate key instead), stored by CID, digested with sha256 and signed with the enclave key.
// With an attestation bundle, the bundle is stored first and the envelope names its CID, so the
// digest the enclave signs (and the chain accepts) commits to the bundle too.
import type { HDNodeWallet, TypedDataDomain } from "ethers";
import { ArchiveError, packDirectory } from "../src/apps/index.ts";
import { encryptResult, sha256Hex } from "../src/crypto/index.ts";
import { sealStageOutput } from "../src/crypto/pipelineOutput.ts";
import { encodeResultAttestation, type ResultAttestation } from "../src/wire/attestation/resultAttestation.ts";
import { signResult } from "../src/wire/eip712/index.ts";
import type { ContentStore } from "../src/storage/index.ts";
import type { StepBounds } from "./deadline.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { TaskLimits } from "./limits.ts";
import { storageStep } from "./storageStep.ts";

export interface SealedResult {
  resultCid: string;
  /** sha256 of the encrypted bytes stored under resultCid: what the requester can check a download against. */
  resultDigest: string;
  resultSize: number;
  enclaveSignature: string;
  /** The CID of the attestation bundle the envelope names, when one was published. */
  attestationCid?: string;
}

export interface SealRequest {
  outputDirectory: string;
  limits: Pick<TaskLimits, "maxOutputBytes" | "maxOutputFiles">;
  resultPublicKey: string;
  store: ContentStore;
  enclave: HDNodeWallet;
  domain: TypedDataDomain;
  worker: string;
  taskId: string;
  /** Published beside the result and named in its envelope. */
  attestation?: ResultAttestation;
  /**
   * A pipeline stage's output that other stages read: sealed under its intermediate key, never to
   * the beneficiary (its result key is ignored; no attestation bundle is published beside it).
   */
  stageOutput?: { pipeline: string; stage: string; key: Uint8Array };
}

export async function sealResult(request: SealRequest, bounds: StepBounds): Promise<SealedResult> {
  const plaintext = await packOutput(request.outputDirectory, request.limits);
  if (request.stageOutput !== undefined) {
    const { pipeline, stage, key } = request.stageOutput;
    return storeAndSign(request, sealStageOutput(plaintext, key, pipeline, stage), undefined, bounds);
  }
  const attestation = request.attestation;
  const attestationCid =
    attestation === undefined
      ? undefined
      : await storageStep(
          "RESULT_UPLOAD_FAILED",
          "uploading the attestation bundle",
          (signal) => request.store.add(encodeResultAttestation(attestation), { signal }),
          bounds,
        );
  return storeAndSign(request, encryptResult(plaintext, request.resultPublicKey, { attestationCid }), attestationCid, bounds);
}

async function storeAndSign(request: SealRequest, encrypted: Uint8Array, attestationCid: string | undefined, bounds: StepBounds): Promise<SealedResult> {
  const resultCid = await storageStep(
    "RESULT_UPLOAD_FAILED",
    "uploading the encrypted result",
    (signal) => request.store.add(encrypted, { signal }),
    bounds,
  );
  const resultDigest = sha256Hex(encrypted);
  const enclaveSignature = await signResult(request.enclave, request.domain, {
    worker: request.worker,
    taskId: request.taskId,
    resultDigest,
    resultCid,
  });
  return { resultCid, resultDigest, resultSize: encrypted.byteLength, enclaveSignature, ...(attestationCid === undefined ? {} : { attestationCid }) };
}

async function packOutput(directory: string, limits: SealRequest["limits"]): Promise<Uint8Array> {
  try {
    return await packDirectory(directory, { maxBytes: limits.maxOutputBytes, maxEntries: limits.maxOutputFiles });
  } catch (error) {
    if (error instanceof ArchiveError && error.code === "ARCHIVE_TOO_LARGE") {
      throw new EnclaveError("OUTPUT_TOO_LARGE", "The app's output exceeds the output limits.", { ...limits });
    }
    if (error instanceof ArchiveError) {
      // No path in the details: output names are the app's and may carry confidential data.
      throw new EnclaveError("BAD_OUTPUT", "The app's output holds something other than files and directories.", {
        reason: error.code,
      });
    }
    throw error;
  }
}
