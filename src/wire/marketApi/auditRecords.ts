// The records the market's audit API answers with, as clients read them. Every record names the
// block and transaction that prove it; uint256 values are decimal strings, addresses checksummed.
// The ledger builds exactly these shapes (its builders are typed by them).
import type { TaskFailure } from "./taskFailure.ts";

export { TASK_FAILURE_CODES, type TaskFailure, type TaskFailureCode } from "./taskFailure.ts";

/** The block (number and ISO time) and the transaction and log that prove a record. */
export type ChainProof = { blockNumber: number; blockTime: string; transactionHash: string; logIndex: number };
/** For aggregates: the last change. */
export type LastChangeProof = Omit<ChainProof, "logIndex">;

export const ASSET_KINDS = ["app", "dataset", "workerpool"] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

export const TASK_STATUSES = ["completed", "failed", "claimed"] as const;
/**
 * What finalizes a task on-chain: its result was accepted, it failed on the SMS's signed verdict
 * blaming the requester, the dataset owner or the app owner (`failTask`), or it was claimed after
 * the deadline.
 */
export type FinalizedTaskStatus = (typeof TASK_STATUSES)[number];

/**
 * Kinds of escrow movement. `lock`: requester's payment for a deal's tasks; `stake_lock`: the
 * workerpool's stake; `payout_*`: one task's price from the requester's locked funds to an owner;
 * `stake_release`: stake back to the workerpool; `refund`: a claimed or failed task's price back
 * to the requester (for a failed task: all of it, or the app and dataset prices when the requester was
 * to blame, the workerpool then being paid its price); `slash`: a claimed task's stake to the requester.
 */
export const PAYMENT_KINDS = [
  "deposit",
  "withdraw",
  "lock",
  "stake_lock",
  "payout_app",
  "payout_dataset",
  "payout_workerpool",
  "stake_release",
  "refund",
  "slash",
] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/** The deal tuple the contract stores and `DealCreated` states, every field a string. */
export type DealTuple = {
  app: string;
  dataset: string;
  workerpool: string;
  appOwner: string;
  datasetOwner: string;
  workerpoolOwner: string;
  appPrice: string;
  datasetPrice: string;
  workerpoolPrice: string;
  requester: string;
  beneficiary: string;
  category: string;
  tag: string;
  volume: string;
  stakePerTask: string;
  startTime: string;
  deadline: string;
  resultPublicKey: string;
  paramsHash: string;
  requestHash: string;
  requestOffset: string;
};

/** A deal as `DealCreated` states it: the deal tuple, its id, the orders matched and the params. */
export type DealFacts = DealTuple & {
  dealId: string;
  appOrderHash: string;
  datasetOrderHash: string;
  workerpoolOrderHash: string;
  params: string;
};

export type TaskCounts = { total: string; completed: string; failed: string; claimed: string; pending: string };

/**
 * `open`: tasks remain; `completed`: every task's result was accepted; `failed`: every task
 * finalized, at least one failed (`failTask`); `settled`: every task finalized, some claimed, none failed.
 */
export type DealStatus = "open" | "completed" | "failed" | "settled";

export type DealRecord = ChainProof & DealFacts & { status: DealStatus; taskCounts: TaskCounts };

export type TaskStatus = "pending" | FinalizedTaskStatus;

/**
 * A task; a pending task is proven by its deal's block and transaction. `failure` says why a
 * failed or claimed task has no result, null otherwise.
 */
export type TaskRecord = ChainProof & {
  dealId: string;
  index: string;
  taskId: string;
  status: TaskStatus;
  worker: string | null;
  enclave: string | null;
  resultDigest: string | null;
  resultCid: string | null;
  failure: TaskFailure | null;
};

export type PaymentRecord = ChainProof & {
  kind: PaymentKind;
  from: string | null;
  to: string | null;
  amount: string;
  dealId: string | null;
  taskIndex: string | null;
  /** Position among the movements following from the same log. */
  seq: number;
};

/** A task claimed after its deadline: the requester got `refunded` back and `slashed` from the stake. */
export type ClaimRecord = ChainProof & {
  dealId: string;
  index: string;
  taskId: string;
  workerpool: string;
  workerpoolOwner: string;
  requester: string;
  refunded: string;
  slashed: string;
};

/** A workerpool's reputation: `score` = (completed + 1) * 10000 / (completed + failed + 2), in basis points. */
export type ReputationRecord = LastChangeProof & { workerpool: string; completed: string; failed: string; score: string };

/** A registered asset, proven by its registration; owner and description are the latest the chain set. */
export type AssetRecord = ChainProof & {
  kind: AssetKind;
  assetId: string;
  owner: string;
  name: string | null;
  /** Bundle CID of an app, ciphertext CID of a dataset. */
  contentCid: string | null;
  checksum: string | null;
  measurement: string | null;
  description: string | null;
};

export type EscrowAccountRecord = LastChangeProof & { address: string; balance: string; locked: string };

/** GET /v1/accounts/{address}/escrow: the account after its last movement, or zero with no proof when none was indexed. */
export type EscrowAccountJson =
  | EscrowAccountRecord
  | { address: string; balance: "0"; locked: "0"; blockNumber: null; blockTime: null; transactionHash: null };

export const ORDER_KIND_NAMES = ["app", "dataset", "workerpool", "request"] as const;

export type OrderStateRecord = LastChangeProof & {
  orderHash: string;
  kind: (typeof ORDER_KIND_NAMES)[number];
  consumed: string;
  cancelled: boolean;
  approvedBy: string | null;
};

export type RequestDealRecord = DealRecord & { tasks: TaskRecord[]; tasksTruncated: boolean };

/**
 * `open`: approved on-chain, no deal yet; `cancelled`: cancelled before any deal; `running`:
 * tasks remain; `completed`: every task of every deal completed; `failed`: all finalized, at least
 * one failed (`failTask`); `settled`: all finalized, some claimed, none failed.
 */
export type RequestState = "open" | "cancelled" | "running" | "completed" | "failed" | "settled";

export type RequestStatusRecord = LastChangeProof & {
  requestHash: string;
  requester: string;
  status: RequestState;
  cancelled: boolean;
  matchedVolume: string;
  taskCounts: TaskCounts;
  deals: RequestDealRecord[];
  dealsTruncated: boolean;
};
