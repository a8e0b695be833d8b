// Finds the attestation bundle of a completed task for the API and the explorer: the task's result
// CID from the ledger, the bundle CID from the result envelope's header (its first bytes), then
// the bundle, read through an IPFS gateway and checked against its CID. Bundles are immutable, so
// they are kept by result CID.
import { BoundedMap } from "../../core/bounded.ts";
import { MAX_RESULT_HEADER_BYTES, parseResultHeader } from "../../crypto/index.ts";
import type { Ledger } from "../../persistence/ledger/index.ts";
import type { GatewayContentReader } from "../../storage/GatewayContentReader.ts";
import { StorageError } from "../../storage/errors.ts";
import { decodeResultAttestation, MAX_RESULT_ATTESTATION_BYTES, ResultAttestationError } from "../../wire/attestation/resultAttestation.ts";
import type { TaskAttestationRecord } from "../../wire/marketApi/taskAttestation.ts";
import { MarketError } from "../MarketError.ts";

const CACHED_BUNDLES = 1_024;

export class TaskAttestations {
  readonly #ledger: Ledger;
  readonly #content: GatewayContentReader;
  readonly #byResult = new BoundedMap<string, { attestationCid: string; attestation: TaskAttestationRecord["attestation"] }>(CACHED_BUNDLES);

  constructor(ledger: Ledger, content: GatewayContentReader) {
    this.#ledger = ledger;
    this.#content = content;
  }

  /** The attestation of task `index` of `dealId`; MarketError naming why there is none. */
  async of(dealId: string, index: bigint): Promise<TaskAttestationRecord> {
    const page = await this.#ledger.dealTasks(dealId, { limit: 1, after: index === 0n ? null : (index - 1n).toString() });
    if (page === undefined) {
      throw new MarketError("DEAL_NOT_FOUND", `the ledger holds no deal ${dealId}; check the id, or wait for the indexer to reach its block`, { dealId });
    }
    const task = page.items[0];
    if (task === undefined || task.index !== index.toString()) {
      throw new MarketError("TASK_NOT_FOUND", `deal ${dealId} has no task ${index}`, { dealId, index: index.toString() });
    }
    if (task.status !== "completed" || task.resultCid === null || task.enclave === null) {
      throw new MarketError("RESULT_NOT_READY", `task ${index} of deal ${dealId} is ${task.status}: it has no result to attest`, { dealId, index: index.toString(), status: task.status });
    }
    const found = await this.#bundleOf(task.resultCid);
    return { dealId, index: task.index, taskId: task.taskId, enclave: task.enclave, resultCid: task.resultCid, ...found };
  }

  async #bundleOf(resultCid: string) {
    const known = this.#byResult.get(resultCid);
    if (known) return known;
    const header = await this.#read(() => this.#content.head(resultCid, MAX_RESULT_HEADER_BYTES), resultCid);
    let attestationCid: string | undefined;
    try {
      attestationCid = parseResultHeader(header).attestationCid;
    } catch (cause) {
      throw new MarketError("ATTESTATION_INVALID", `the content of ${resultCid} is not a Continuum result envelope`, { resultCid }, { cause });
    }
    if (attestationCid === undefined) {
      throw new MarketError("ATTESTATION_NOT_FOUND", `the result ${resultCid} names no attestation bundle (envelope version 1)`, { resultCid });
    }
    const bytes = await this.#read(() => this.#content.get(attestationCid, MAX_RESULT_ATTESTATION_BYTES), attestationCid);
    let attestation;
    try {
      attestation = decodeResultAttestation(bytes);
    } catch (error) {
      if (!(error instanceof ResultAttestationError)) throw error;
      throw new MarketError("ATTESTATION_INVALID", `the bundle ${attestationCid} is not an attestation bundle: ${error.message}`, { attestationCid });
    }
    const found = { attestationCid, attestation };
    this.#byResult.set(resultCid, found);
    return found;
  }

  async #read(read: () => Promise<Uint8Array>, cid: string): Promise<Uint8Array> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      if (error.code === "CONTENT_TOO_LARGE" || error.code === "CONTENT_MISMATCH") {
        throw new MarketError("ATTESTATION_INVALID", error.message, { cid }, { cause: error });
      }
      throw new MarketError("ATTESTATION_UNAVAILABLE", `${cid} cannot be read from IPFS now: ${error.message}`, { cid }, { cause: error });
    }
  }
}
