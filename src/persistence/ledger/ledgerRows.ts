// What the indexer hands the ledger to store: one row per fact proven by a chain event. Every
// uint256 is a decimal string and every address a checksummed string, exactly as decoded.
import type { AssetKind, DealFacts, FinalizedTaskStatus, PaymentKind } from "../../wire/marketApi/auditRecords.ts";

export { ASSET_KINDS, PAYMENT_KINDS, TASK_STATUSES } from "../../wire/marketApi/auditRecords.ts";
export type { AssetKind, DealFacts, FinalizedTaskStatus, PaymentKind } from "../../wire/marketApi/auditRecords.ts";

/** Where a fact was proven: block (number and unix time), transaction and log position. */
export type ChainPosition = {
  blockNumber: number;
  /** Unix seconds of the block. */
  blockTime: number;
  transactionHash: string;
  logIndex: number;
};

export const ORDER_ACTIONS = ["approved", "cancelled"] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

type Effect = { balance: -1 | 0 | 1; locked: -1 | 0 | 1 };
const NONE: Effect = { balance: 0, locked: 0 };
const settle = { from: { balance: 0, locked: -1 }, to: { balance: 1, locked: 0 } } as const;
const lock = { from: { balance: -1, locked: 0 }, to: { balance: 0, locked: 1 } } as const;

/** How a movement of `amount` changes the escrow account of its `from` and its `to` address. */
export const PAYMENT_EFFECTS: Record<PaymentKind, { from: Effect; to: Effect }> = {
  deposit: { from: NONE, to: { balance: 1, locked: 0 } },
  withdraw: { from: { balance: -1, locked: 0 }, to: NONE },
  lock,
  stake_lock: lock,
  payout_app: settle,
  payout_dataset: settle,
  payout_workerpool: settle,
  stake_release: settle,
  refund: settle,
  slash: settle,
};

export type CategoryRow = ChainPosition & { category: string; name: string; description: string; maxRunTime: string };

export type AssetRow = ChainPosition & {
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

/** An ownership transfer (the mint included) or a new description of an asset. */
export type AssetEventRow = ChainPosition & {
  kind: AssetKind;
  assetId: string;
  change: "transfer" | "description";
  fromAddress: string | null;
  toAddress: string | null;
  description: string | null;
};

export type DealRow = ChainPosition & DealFacts;

/** What a row states, without where the chain proved it. */
export type FactsOf<Row> = Omit<Row, keyof ChainPosition>;

export type TaskRow = ChainPosition & {
  dealId: string;
  taskIndex: string;
  taskId: string;
  status: FinalizedTaskStatus;
  worker: string | null;
  enclave: string | null;
  resultDigest: string | null;
  resultCid: string | null;
  /** For a failed task: who the SMS blamed (1 requester, 2 dataset owner, 3 app owner) and at which attempt. */
  failureCause: number | null;
  failureAttempt: string | null;
};

export type PaymentRow = ChainPosition & {
  /** Position of this movement among those following from the same log. */
  seq: number;
  kind: PaymentKind;
  fromAddress: string | null;
  toAddress: string | null;
  amount: string;
  dealId: string | null;
  taskIndex: string | null;
};

export type OrderEventRow = ChainPosition & { orderHash: string; kind: number; action: OrderAction; signer: string };

export type ReputationRow = Omit<ChainPosition, "logIndex"> & {
  workerpool: string;
  completed: string;
  failed: string;
  score: string;
};

/** Everything one block range adds to the ledger, each list in chain order. */
export type LedgerChanges = {
  categories: CategoryRow[];
  assets: AssetRow[];
  assetEvents: AssetEventRow[];
  deals: DealRow[];
  tasks: TaskRow[];
  payments: PaymentRow[];
  orderEvents: OrderEventRow[];
  /** Absolute reputation after the range's last change of each workerpool. */
  reputations: ReputationRow[];
};

export function emptyLedgerChanges(): LedgerChanges {
  return { categories: [], assets: [], assetEvents: [], deals: [], tasks: [], payments: [], orderEvents: [], reputations: [] };
}

/** The deal terms settling a task needs, loaded for deals created in an earlier range. */
export type DealTerms = Pick<
  DealRow,
  | "dealId"
  | "dataset"
  | "workerpool"
  | "appOwner"
  | "datasetOwner"
  | "workerpoolOwner"
  | "appPrice"
  | "datasetPrice"
  | "workerpoolPrice"
  | "requester"
  | "stakePerTask"
>;
