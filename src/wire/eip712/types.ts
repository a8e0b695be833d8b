// The one source of truth for Continuum's EIP-712 messages: order, authorization, result and
// SMS verdict types as TypeScript values mirroring contracts/libraries/OrderTypes.sol and DealTypes.sol.
import type { TypedDataDomain, TypedDataField } from "ethers";

export const DOMAIN_NAME = "Continuum";
export const DOMAIN_VERSION = "1";

/** Bit 0 of a tag: the task must run in an attested enclave. */
export const TAG_TEE = 1n;
export const ZERO_BYTES32 = `0x${"0".repeat(64)}`;
export const ZERO_ADDRESS = `0x${"0".repeat(40)}`;
/** The consumed volume the contract records for a cancelled order (OrderBook.CANCELLED). */
export const CANCELLED = (1n << 256n) - 1n;

export type AppOrder = {
  app: bigint;
  price: bigint;
  volume: bigint;
  tag: string;
  datasetRestrict: bigint;
  workerpoolRestrict: bigint;
  requesterRestrict: string;
  /** The asset's epoch in its registry when signed (`epochOf`); the order matches only in that epoch. */
  assetEpoch: bigint;
  salt: string;
  expiry: bigint;
};

export type DatasetOrder = {
  dataset: bigint;
  price: bigint;
  volume: bigint;
  tag: string;
  appRestrict: bigint;
  workerpoolRestrict: bigint;
  requesterRestrict: string;
  /** The asset's epoch in its registry when signed (`epochOf`); the order matches only in that epoch. */
  assetEpoch: bigint;
  salt: string;
  expiry: bigint;
};

export type WorkerpoolOrder = {
  workerpool: bigint;
  price: bigint;
  volume: bigint;
  tag: string;
  category: bigint;
  appRestrict: bigint;
  datasetRestrict: bigint;
  requesterRestrict: string;
  /** The asset's epoch in its registry when signed (`epochOf`); the order matches only in that epoch. */
  assetEpoch: bigint;
  salt: string;
  expiry: bigint;
};

export type RequestOrder = {
  app: bigint;
  appMaxPrice: bigint;
  dataset: bigint;
  datasetMaxPrice: bigint;
  workerpool: bigint;
  workerpoolMaxPrice: bigint;
  requester: string;
  volume: bigint;
  tag: string;
  category: bigint;
  trust: bigint;
  beneficiary: string;
  resultPublicKey: string;
  params: string;
  salt: string;
  expiry: bigint;
};

export type OrderKind = "app" | "dataset" | "workerpool" | "request";
export type OrderOf<K extends OrderKind> = {
  app: AppOrder;
  dataset: DatasetOrder;
  workerpool: WorkerpoolOrder;
  request: RequestOrder;
}[K];

/** On-chain order kind numbers, as in `OrderApproved` / `OrderCancelled` events. */
export const ORDER_KIND_NUMBER: Record<OrderKind, number> = { app: 0, dataset: 1, workerpool: 2, request: 3 };

export const ORDER_PRIMARY_TYPE: Record<OrderKind, string> = {
  app: "AppOrder",
  dataset: "DatasetOrder",
  workerpool: "WorkerpoolOrder",
  request: "RequestOrder",
};

export const ORDER_TYPES: Record<OrderKind, Record<string, TypedDataField[]>> = {
  app: {
    AppOrder: [
      { name: "app", type: "uint256" },
      { name: "price", type: "uint256" },
      { name: "volume", type: "uint256" },
      { name: "tag", type: "bytes32" },
      { name: "datasetRestrict", type: "uint256" },
      { name: "workerpoolRestrict", type: "uint256" },
      { name: "requesterRestrict", type: "address" },
      { name: "assetEpoch", type: "uint256" },
      { name: "salt", type: "bytes32" },
      { name: "expiry", type: "uint256" },
    ],
  },
  dataset: {
    DatasetOrder: [
      { name: "dataset", type: "uint256" },
      { name: "price", type: "uint256" },
      { name: "volume", type: "uint256" },
      { name: "tag", type: "bytes32" },
      { name: "appRestrict", type: "uint256" },
      { name: "workerpoolRestrict", type: "uint256" },
      { name: "requesterRestrict", type: "address" },
      { name: "assetEpoch", type: "uint256" },
      { name: "salt", type: "bytes32" },
      { name: "expiry", type: "uint256" },
    ],
  },
  workerpool: {
    WorkerpoolOrder: [
      { name: "workerpool", type: "uint256" },
      { name: "price", type: "uint256" },
      { name: "volume", type: "uint256" },
      { name: "tag", type: "bytes32" },
      { name: "category", type: "uint256" },
      { name: "appRestrict", type: "uint256" },
      { name: "datasetRestrict", type: "uint256" },
      { name: "requesterRestrict", type: "address" },
      { name: "assetEpoch", type: "uint256" },
      { name: "salt", type: "bytes32" },
      { name: "expiry", type: "uint256" },
    ],
  },
  request: {
    RequestOrder: [
      { name: "app", type: "uint256" },
      { name: "appMaxPrice", type: "uint256" },
      { name: "dataset", type: "uint256" },
      { name: "datasetMaxPrice", type: "uint256" },
      { name: "workerpool", type: "uint256" },
      { name: "workerpoolMaxPrice", type: "uint256" },
      { name: "requester", type: "address" },
      { name: "volume", type: "uint256" },
      { name: "tag", type: "bytes32" },
      { name: "category", type: "uint256" },
      { name: "trust", type: "uint256" },
      { name: "beneficiary", type: "address" },
      { name: "resultPublicKey", type: "bytes32" },
      { name: "params", type: "string" },
      { name: "salt", type: "bytes32" },
      { name: "expiry", type: "uint256" },
    ],
  },
};

/** Signed by the workerpool owner: this worker may run this task with this enclave key. */
export const AUTHORIZATION_TYPES: Record<string, TypedDataField[]> = {
  Authorization: [
    { name: "worker", type: "address" },
    { name: "taskId", type: "bytes32" },
    { name: "enclave", type: "address" },
  ],
};

/** Signed by the enclave key: this result was produced for this task by this worker's enclave. */
export const RESULT_TYPES: Record<string, TypedDataField[]> = {
  Result: [
    { name: "worker", type: "address" },
    { name: "taskId", type: "bytes32" },
    { name: "resultDigest", type: "bytes32" },
    { name: "resultCid", type: "string" },
  ],
};

/** Signed by the SMS: this enclave key passed attestation for this task (quote, the deal's app, the pool's authorization). */
export const ENCLAVE_ATTESTED_TYPES: Record<string, TypedDataField[]> = {
  EnclaveAttested: [
    { name: "taskId", type: "bytes32" },
    { name: "enclave", type: "address" },
  ],
};

/** Signed by the SMS: this task cannot run, `cause` names who is to blame, and `attempt` is the attempt it refused. */
export const TASK_FAILURE_TYPES: Record<string, TypedDataField[]> = {
  TaskFailure: [
    { name: "taskId", type: "bytes32" },
    { name: "cause", type: "uint8" },
    { name: "attempt", type: "uint32" },
  ],
};

/**
 * Failure causes of `TaskFailure`, as `DealTypes.CAUSE_*`: the party the SMS blames.
 * requester: a requester secret named by the request is missing, or the request's inputs are
 * invalid; datasetOwner: the dataset key is missing or withheld; appOwner: an app secret is
 * missing, or the bundle does not match its checksum.
 */
export const FAILURE_CAUSE = { requester: 1, datasetOwner: 2, appOwner: 3 } as const;
export type FailureCause = (typeof FAILURE_CAUSE)[keyof typeof FAILURE_CAUSE];

export type Authorization = { worker: string; taskId: string; enclave: string };
export type ResultStatement = { worker: string; taskId: string; resultDigest: string; resultCid: string };
export type EnclaveAttested = { taskId: string; enclave: string };
export type TaskFailure = { taskId: string; cause: FailureCause; attempt: number };

export function continuumDomain(chainId: bigint, verifyingContract: string): TypedDataDomain {
  return { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId, verifyingContract };
}

/** A deal exactly as the contract commits to it and emits it in `DealCreated`. */
export type Deal = {
  app: bigint;
  dataset: bigint;
  workerpool: bigint;
  appOwner: string;
  datasetOwner: string;
  workerpoolOwner: string;
  appPrice: bigint;
  datasetPrice: bigint;
  workerpoolPrice: bigint;
  requester: string;
  beneficiary: string;
  category: bigint;
  tag: string;
  volume: bigint;
  stakePerTask: bigint;
  startTime: bigint;
  deadline: bigint;
  resultPublicKey: string;
  paramsHash: string;
  requestHash: string;
  requestOffset: bigint;
};

export const DEAL_FIELDS: readonly (keyof Deal)[] = [
  "app", "dataset", "workerpool", "appOwner", "datasetOwner", "workerpoolOwner", "appPrice", "datasetPrice",
  "workerpoolPrice", "requester", "beneficiary", "category", "tag", "volume", "stakePerTask", "startTime",
  "deadline", "resultPublicKey", "paramsHash", "requestHash", "requestOffset",
];

/**
 * The `smsAttestation` of a result the SMS has not attested. The off-chain SMS does not sign
 * EnclaveAttested yet (issue 14), so the enclave and the scheduler push this; the contract accepts
 * it only while no SMS signer is registered (the devnet's state until the SMS signs).
 */
export const NO_SMS_ATTESTATION = "0x";

/** A task result as `pushResult` takes it; enclave fields are `0x…0` / `0x` for a non-TEE task. */
export type TaskResult = {
  index: bigint;
  worker: string;
  enclave: string;
  resultDigest: string;
  resultCid: string;
  authorization: string;
  enclaveSignature: string;
  /** The SMS's signature of EnclaveAttested(taskId, enclave); `0x` when there is none. */
  smsAttestation: string;
};

/** A failed task as `failTaskBatch` takes it: the SMS's TaskFailure signature as evidence. */
export type FailureReport = { index: bigint; cause: FailureCause; attempt: number; smsSignature: string };
