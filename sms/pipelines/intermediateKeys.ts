// The intermediate keys of a pipeline: one fresh AES-256 key per stage whose output another stage
// reads, made when the pipeline is registered and kept sealed under the master key, labelled with
// the pipeline and the stage so a sealed key opens only as that stage's key of that pipeline.
import { AES_KEY_BYTES, randomBytes } from "../../src/crypto/aesGcm.ts";
import type { PipelineGraph } from "../../src/wire/pipelines/index.ts";
import { SmsError } from "../SmsError.ts";
import { openEnvelope, sealEnvelope, type SealedSecret } from "../secrets/envelopeEncryption.ts";
import type { MasterKey } from "../secrets/MasterKey.ts";

function label(pipelineId: string, stage: string): string[] {
  return ["continuum/sms/pipeline-key/v1", pipelineId.toLowerCase(), stage];
}

/** A sealed fresh key for every stage another stage reads (final stages seal to the requester instead). */
export function makeIntermediateKeys(masterKey: MasterKey, pipelineId: string, graph: PipelineGraph): Map<string, SealedSecret> {
  const keys = new Map<string, SealedSecret>();
  for (const stage of graph.order) {
    if (graph.children.get(stage)!.length === 0) continue;
    const key = randomBytes(AES_KEY_BYTES);
    try {
      keys.set(stage, sealEnvelope(masterKey, label(pipelineId, stage), key));
    } finally {
      key.fill(0);
    }
  }
  return keys;
}

/** The stage's intermediate key; throws SECRET_UNREADABLE when the row was not sealed for it by this master key. */
export function openIntermediateKey(masterKey: MasterKey, pipelineId: string, stage: string, sealed: SealedSecret): Uint8Array {
  const key = openEnvelope(masterKey, label(pipelineId, stage), sealed);
  if (key === undefined) {
    throw new SmsError("SECRET_UNREADABLE", "a stored intermediate key does not open under the master key", { pipeline: pipelineId, stage });
  }
  return key;
}
