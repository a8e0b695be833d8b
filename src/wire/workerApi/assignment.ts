// The scheduler's worker API as both sides read it: a worker's capabilities, the assignment it
// is handed (with the deal as JSON), and the result it reports. See scheduler/http/openapi.ts.
import type { FailureVerdict } from "../smsApi/sessionVerdicts.ts";
import { getAddress } from "ethers";
import type { Deal } from "../eip712/index.ts";

/**
 * One app runtime a worker offers ("node", "python", "wasi"): the digest of its runtime profile,
 * which an app's measurement is bound to, and the profile itself, so developers can measure an app
 * for it (see src/apps/measurement). Node's measurement needs no profile.
 */
export type RuntimeOffer = { runtime: string; profile?: string; profileDocument?: Record<string, unknown> };

/**
 * What a worker offers; the scheduler assigns it only tasks it can run: TEE deals to TEE workers,
 * and apps whose registered measurement is the measurement of their bundle under one of its
 * runtimes. A worker that names no runtimes offers node alone.
 */
export type WorkerCapabilities = { cpu: number; memoryMb: number; tee: boolean; gpu: number; runtimes?: RuntimeOffer[] };

/** Everything a worker needs to run one task with runEnclaveTask. */
export type Assignment = {
  taskId: string;
  dealId: string;
  taskIndex: string;
  attempt: number;
  /** The block of the deal's DealCreated log, which the SMS reads to find the deal. */
  dealBlock: number;
  /** The deal tuple, every field a string (dealToJson). */
  deal: Record<string, string>;
  params: string;
  /** The app's bundle, registered measurement and (when the ledger has it) registered bundle checksum. */
  app: { bundleCid: string; measurement: string; checksum?: string };
  dataset: { cid: string; checksum: string } | null;
  maxRunTimeSeconds: number;
  tee: boolean;
  /** For a pipeline stage: where its pipeline's completed stages' outputs are (a hint; each opens only under its key). */
  stageOutputs?: StageOutputLocation[];
};

/** Where one pipeline stage's sealed output is stored: the result CID its task pushed on-chain. */
export type StageOutputLocation = { stage: string; resultCid: string };

/** A worker's report of a finished task: the enclave's signed statement of its result. */
export type ResultReport = {
  enclave: string;
  resultDigest: string;
  resultCid: string;
  enclaveSignature: string;
  /** The SMS's EnclaveAttested signature for the enclave (TEE tasks, once the contract names an SMS signer). */
  smsAttestation?: string;
  /** Set when the result is a failure report sealed to the requester: the failure's code. */
  failureCode?: string;
};

/** A worker giving up on its task: the enclave's error code, and the SMS's verdict when it blamed another party. */
export type FailureNotice = { code: string; message?: string; verdict?: FailureVerdict };

const UINT_FIELDS = [
  "app", "dataset", "workerpool", "appPrice", "datasetPrice", "workerpoolPrice", "category",
  "volume", "stakePerTask", "startTime", "deadline", "requestOffset",
] as const;

export function dealToJson(deal: Deal): Record<string, string> {
  return Object.fromEntries(Object.entries(deal).map(([key, value]) => [key, String(value)]));
}

export function dealFromJson(json: Record<string, string>): Deal {
  const deal: Record<string, unknown> = { ...json };
  for (const field of UINT_FIELDS) deal[field] = BigInt(json[field]!);
  for (const field of ["appOwner", "datasetOwner", "workerpoolOwner", "requester", "beneficiary"]) {
    deal[field] = getAddress(json[field]!);
  }
  return deal as Deal;
}
