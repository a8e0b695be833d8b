// Brings a pipeline stage's inputs into the enclave: for each stage it reads (those whose keys the
// SMS released), the sealed output is fetched from where the scheduler says it is, opened under the
// released key (which proves it is that stage's output of this pipeline, whatever the location),
// and unpacked into <input>/stages/<stage>/ for the app, as a dataset is placed in <input>/dataset.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ArchiveError, unpackArchive } from "../src/apps/index.ts";
import { openStageOutput } from "../src/crypto/pipelineOutput.ts";
import type { ContentStore } from "../src/storage/index.ts";
import type { StepBounds } from "./deadline.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { StageOutputLocation } from "./EnclaveTask.ts";
import type { StageKeys } from "./SecretsClient.ts";
import { storageStep } from "./storageStep.ts";

/** Where the app finds stage `stage`'s output under its input directory. */
export const STAGE_INPUTS_DIRECTORY = "stages";

export async function provisionStageInputs(
  store: ContentStore,
  keys: StageKeys,
  locations: readonly StageOutputLocation[],
  inputDirectory: string,
  limits: { maxBytes: number; maxEntries: number },
  bounds: StepBounds,
): Promise<void> {
  for (const input of keys.inputs) {
    const location = locations.find((candidate) => candidate.stage === input.stage);
    if (location === undefined) {
      throw new EnclaveError("STAGE_INPUT_MISSING", `The scheduler named no output of stage ${input.stage}, which this stage reads.`, { stage: input.stage });
    }
    const sealed = await storageStep("FETCH_FAILED", `fetching stage ${input.stage}'s output`, (signal) => readBounded(store, location.resultCid, limits.maxBytes, signal), bounds);
    const archive = openStageOutput(sealed, input.key, keys.pipeline, input.stage);
    if (archive === undefined) {
      throw new EnclaveError("STAGE_INPUT_UNREADABLE", `What is stored for stage ${input.stage} is not its output under the released key.`, {
        stage: input.stage,
        cid: location.resultCid,
      });
    }
    const directory = join(inputDirectory, STAGE_INPUTS_DIRECTORY, input.stage);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    try {
      await unpackArchive(archive, directory, limits);
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      throw new EnclaveError("STAGE_INPUT_UNREADABLE", `Stage ${input.stage}'s output is not an output archive.`, { stage: input.stage, reason: error.code });
    } finally {
      archive.fill(0);
    }
  }
}

async function readBounded(store: ContentStore, cid: string, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of store.cat(cid, { signal })) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new EnclaveError("STAGE_INPUT_MISSING", "A stage input is larger than this worker accepts.", { cid, maxBytes });
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
