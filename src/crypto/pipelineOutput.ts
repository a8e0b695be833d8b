// A pipeline stage's output as it rests between enclaves: the canonical output archive sealed with
// AES-256-GCM under the stage's intermediate key (released by the SMS only to the enclaves of the
// stage that writes it and of the stages that read it), bound to the pipeline and the stage by the
// additional data. Whoever stores or relays it cannot read or swap it: a ciphertext of another
// stage, another pipeline or altered bytes does not open.
import { AES_KEY_BYTES, GCM_NONCE_BYTES, GCM_TAG_BYTES, openAesGcm, randomBytes, sealAesGcm } from "./aesGcm.ts";

/** "CPS1": Continuum pipeline stage output, format 1. */
const MAGIC = new Uint8Array([0x43, 0x50, 0x53, 0x31]);

function context(pipelineId: string, stage: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(["continuum/pipeline-output/v1", pipelineId.toLowerCase(), stage]));
}

function checkKey(key: Uint8Array): void {
  if (key.length !== AES_KEY_BYTES) throw new RangeError(`an intermediate key is ${AES_KEY_BYTES} bytes`);
}

export function sealStageOutput(plaintext: Uint8Array, key: Uint8Array, pipelineId: string, stage: string): Uint8Array {
  checkKey(key);
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const sealed = sealAesGcm(key, nonce, plaintext, context(pipelineId, stage));
  return new Uint8Array(Buffer.concat([MAGIC, nonce, sealed.ciphertext, sealed.tag]));
}

/** The output archive, or undefined when `sealed` is not stage `stage`'s output of `pipelineId` under `key`. */
export function openStageOutput(sealed: Uint8Array, key: Uint8Array, pipelineId: string, stage: string): Uint8Array | undefined {
  checkKey(key);
  if (sealed.length < MAGIC.length + GCM_NONCE_BYTES + GCM_TAG_BYTES) return undefined;
  if (!MAGIC.every((byte, index) => sealed[index] === byte)) return undefined;
  const nonce = sealed.subarray(MAGIC.length, MAGIC.length + GCM_NONCE_BYTES);
  const tagStart = sealed.length - GCM_TAG_BYTES;
  return openAesGcm(key, nonce, { ciphertext: sealed.subarray(MAGIC.length + GCM_NONCE_BYTES, tagStart), tag: sealed.subarray(tagStart) }, context(pipelineId, stage));
}
