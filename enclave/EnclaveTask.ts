// What a worker hands the enclave runtime for one task, what the runtime needs from its host, and
// what it returns: a completed result ready for pushResult, or a failure with a stable code.
import type { TypedDataDomain } from "ethers";
import type { Logger } from "../src/core/logger.ts";
import type { Authorization, Deal, SessionRequestMessage, TaskResult } from "../src/wire/eip712/index.ts";
import type { ContentStore } from "../src/storage/index.ts";
import type { EnclaveError } from "./EnclaveError.ts";
import type { QuotingPlatform } from "./quotingPlatform.ts";
import type { PythonRuntimeOptions } from "../src/apps/index.ts";
import type { WorkerLimits } from "./limits.ts";
import type { SecretsClient } from "./SecretsClient.ts";
import type { EnclaveVerdict } from "../src/wire/smsApi/sessionVerdicts.ts";
import type { FailureReport } from "./failureReport.ts";

export interface EnclaveTask {
  /** The deal as emitted in DealCreated. */
  deal: Deal;
  dealId: string;
  taskIndex: bigint;
  /** Which attempt of the task this run is (1 for the first), as the scheduler counts them. */
  attempt: number;
  /** The block of the deal's DealCreated log. */
  dealBlock: number;
  /** The worker running the task; the authorization and the result statement name it. */
  worker: string;
  /** The request order's params; keccak256 of them must equal deal.paramsHash. */
  params: string;
  /** The deal's app as registered on-chain. */
  /**
   * The app as registered: bundle CID, measurement and, when known, the bundle's checksum. With the
   * checksum, a fetched bundle that is not the registered one is provably the app owner's failure.
   */
  app: { bundleCid: string; measurement: string; checksum?: string };
  /** The deal's dataset as registered on-chain; required exactly when deal.dataset is not 0. */
  dataset?: { cid: string; checksum: string };
  /** The category's maxRunTime in seconds: the app's wall-clock limit. */
  maxRunTimeSeconds: number;
  /**
   * For a pipeline stage: where the outputs of its pipeline's completed stages are, as the
   * scheduler's ledger read them from the chain. Not trusted: each opens only under the key the
   * SMS released for that stage.
   */
  stageOutputs?: StageOutputLocation[];
}

export interface StageOutputLocation {
  stage: string;
  resultCid: string;
}

/** Asks the scheduler to sign Authorization(worker, taskId, enclave); resolves to the signature. */
export type AuthorizeEnclave = (authorization: Authorization, signal: AbortSignal) => Promise<string>;

/** Has the worker sign its SessionRequest to the SMS with the worker's own key; resolves to the signature. */
export type SignSessionRequest = (message: SessionRequestMessage, signal: AbortSignal) => Promise<string>;

export type NetworkIsolation = "required" | "when-available" | "off";

export interface EnclaveHost {
  store: ContentStore;
  platform: QuotingPlatform;
  secrets: SecretsClient;
  authorize: AuthorizeEnclave;
  signSessionRequest: SignSessionRequest;
  /** The EIP-712 domain of the Continuum contract (chain id and address). */
  domain: TypedDataDomain;
  limits?: Partial<WorkerLimits>;
  /** Whether the app runs in an empty network namespace; "when-available" by default. */
  networkIsolation?: NetworkIsolation;
  /** Node.js executable for "node" apps and the WASI host; the running one by default. */
  nodePath?: string;
  /** Interpreter and declared native package set of "python" apps (default: /usr/bin/python3, none). */
  python?: PythonRuntimeOptions;
  /** Parent of the task's scratch directory; the OS temporary directory by default. */
  workDirectory?: string;
  logger?: Logger;
  now?: () => Date;
  /** Told how long each phase of a task took, in seconds, whether it succeeded or not (the worker's metrics). */
  onPhase?: (phase: EnclavePhase, seconds: number) => void;
}

/**
 * The phases of a task in the enclave: fetching and verifying the app's bundle; attestation (the
 * SMS's challenge, the quote, the scheduler's authorization); the SMS session; running the app
 * (with its dataset); sealing and uploading the result.
 */
export type EnclavePhase = "bundle" | "attestation" | "secrets" | "app" | "seal";

/** Which isolation was in force while the app ran (the permission model and limits always are). */
export interface AppIsolation {
  networkIsolated: boolean;
  fileSizeLimited: boolean;
  residentMemoryWatched: boolean;
}

export interface CompletedEnclaveTask {
  status: "completed";
  dealId: string;
  taskIndex: bigint;
  taskId: string;
  worker: string;
  enclaveAddress: string;
  authorization: string;
  enclaveSignature: string;
  resultCid: string;
  /** sha256 of the encrypted result bytes stored under resultCid, 0x-prefixed. */
  resultDigest: string;
  resultSize: number;
  /** The CID of the attestation bundle published beside the result (its envelope names it too). */
  attestationCid: string | undefined;
  /** What the enclave attested: the app's registered measurement, or what an unrunnable bundle measured as. */
  measurement: string;
  /** The SMS's verdict on this enclave (its EnclaveAttested signature is taskResult.smsAttestation). */
  smsVerdict: EnclaveVerdict | undefined;
  /** The argument of pushResult / pushResultBatch for this task. */
  taskResult: TaskResult;
  /** The app's run, when it ran to completion. */
  app?: { durationMs: number; peakResidentBytes: number | undefined };
  isolation?: AppIsolation;
  /** Set when the result is a failure report: the app or its inputs failed after the secrets were released. */
  failure?: FailureReport;
}

export interface FailedEnclaveTask {
  status: "failed";
  dealId: string;
  taskIndex: bigint;
  taskId: string;
  worker: string;
  /** Set once the enclave key exists. */
  enclaveAddress: string | undefined;
  error: EnclaveError;
}

export type EnclaveTaskOutcome = CompletedEnclaveTask | FailedEnclaveTask;
