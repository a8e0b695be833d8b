// How database rows become the JSON records the ledger answers with. The shapes are the wire's
// (src/wire/marketApi/auditRecords.ts), so the builders below cannot drift from what clients read.
import type {
  AssetKind,
  AssetRecord,
  ChainProof,
  ClaimRecord,
  DealRecord,
  DealStatus,
  EscrowAccountRecord,
  FinalizedTaskStatus,
  LastChangeProof,
  OrderStateRecord,
  PaymentKind,
  PaymentRecord,
  ReputationRecord,
  TaskCounts,
  TaskRecord,
} from "../../wire/marketApi/auditRecords.ts";
import { ORDER_KIND_NAMES } from "../../wire/marketApi/auditRecords.ts";
import { failureCodeOfCause, type TaskFailure } from "../../wire/marketApi/taskFailure.ts";

export * from "../../wire/marketApi/auditRecords.ts";

type Row = Record<string, unknown>;

const text = (value: unknown): string => String(value);
const nullableText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function lastChangeOf(row: Row): LastChangeProof {
  return {
    blockNumber: Number(row.block_number),
    blockTime: new Date(row.block_time as string | Date).toISOString(),
    transactionHash: text(row.tx_hash),
  };
}

export function proofOf(row: Row): ChainProof {
  return { ...lastChangeOf(row), logIndex: Number(row.log_index) };
}

export function taskCountsOf(volume: string, completed: string, failed: string, claimed: string): TaskCounts {
  const pending = BigInt(volume) - BigInt(completed) - BigInt(failed) - BigInt(claimed);
  return { total: volume, completed, failed, claimed, pending: pending.toString() };
}

/** Once no task is pending: failed if any failed, else settled if any was claimed, else completed. */
export function finalStatusOf(counts: TaskCounts): "completed" | "failed" | "settled" {
  if (counts.failed !== "0") return "failed";
  return counts.claimed === "0" ? "completed" : "settled";
}

export function dealRecordOf(row: Row): DealRecord {
  const taskCounts = taskCountsOf(text(row.volume), text(row.tasks_completed), text(row.tasks_failed), text(row.tasks_claimed));
  const status: DealStatus = taskCounts.pending !== "0" ? "open" : finalStatusOf(taskCounts);
  return {
    dealId: text(row.deal_id),
    app: text(row.app),
    dataset: text(row.dataset),
    workerpool: text(row.workerpool),
    appOwner: text(row.app_owner),
    datasetOwner: text(row.dataset_owner),
    workerpoolOwner: text(row.workerpool_owner),
    appPrice: text(row.app_price),
    datasetPrice: text(row.dataset_price),
    workerpoolPrice: text(row.workerpool_price),
    requester: text(row.requester),
    beneficiary: text(row.beneficiary),
    category: text(row.category),
    tag: text(row.tag),
    volume: text(row.volume),
    stakePerTask: text(row.stake_per_task),
    startTime: text(row.start_time),
    deadline: text(row.deadline),
    resultPublicKey: text(row.result_public_key),
    paramsHash: text(row.params_hash),
    requestHash: text(row.request_hash),
    requestOffset: text(row.request_offset),
    appOrderHash: text(row.app_order_hash),
    datasetOrderHash: text(row.dataset_order_hash),
    workerpoolOrderHash: text(row.workerpool_order_hash),
    params: text(row.params),
    status,
    taskCounts,
    ...proofOf(row),
  };
}

export function taskRecordOf(row: Row): TaskRecord {
  return {
    dealId: text(row.deal_id),
    index: text(row.task_index),
    taskId: text(row.task_id),
    status: row.status as FinalizedTaskStatus,
    worker: nullableText(row.worker),
    enclave: nullableText(row.enclave),
    resultDigest: nullableText(row.result_digest),
    resultCid: nullableText(row.result_cid),
    failure: failureOf(row),
    ...proofOf(row),
  };
}

/** Why a failed or claimed task has no result. */
function failureOf(row: Row): TaskFailure | null {
  if (row.status === "failed") return { code: failureCodeOfCause(Number(row.failure_cause)), attempts: Number(row.failure_attempt) };
  if (row.status === "claimed") return { code: "DEADLINE_PASSED", attempts: null };
  return null;
}

export function pendingTaskOf(deal: DealRecord, index: bigint, taskId: string): TaskRecord {
  return {
    dealId: deal.dealId,
    index: index.toString(),
    taskId,
    status: "pending",
    worker: null,
    enclave: null,
    resultDigest: null,
    resultCid: null,
    failure: null,
    blockNumber: deal.blockNumber,
    blockTime: deal.blockTime,
    transactionHash: deal.transactionHash,
    logIndex: deal.logIndex,
  };
}

export function paymentRecordOf(row: Row): PaymentRecord {
  return {
    kind: row.kind as PaymentKind,
    from: nullableText(row.from_address),
    to: nullableText(row.to_address),
    amount: text(row.amount),
    dealId: nullableText(row.deal_id),
    taskIndex: nullableText(row.task_index),
    seq: Number(row.seq),
    ...proofOf(row),
  };
}

export function claimRecordOf(row: Row): ClaimRecord {
  return {
    dealId: text(row.deal_id),
    index: text(row.task_index),
    taskId: text(row.task_id),
    workerpool: text(row.workerpool),
    workerpoolOwner: text(row.workerpool_owner),
    requester: text(row.requester),
    refunded: text(row.refunded),
    slashed: text(row.slashed),
    ...proofOf(row),
  };
}

export function reputationRecordOf(row: Row): ReputationRecord {
  return {
    workerpool: text(row.workerpool),
    completed: text(row.completed),
    failed: text(row.failed),
    score: text(row.score),
    ...lastChangeOf(row),
  };
}

export function assetRecordOf(row: Row): AssetRecord {
  return {
    kind: row.kind as AssetKind,
    assetId: text(row.asset_id),
    owner: text(row.owner),
    name: nullableText(row.name),
    contentCid: nullableText(row.content_cid),
    checksum: nullableText(row.checksum),
    measurement: nullableText(row.measurement),
    description: nullableText(row.description),
    ...proofOf(row),
  };
}

export function escrowAccountRecordOf(row: Row): EscrowAccountRecord {
  return { address: text(row.address), balance: text(row.balance), locked: text(row.locked), ...lastChangeOf(row) };
}

export function orderStateRecordOf(row: Row): OrderStateRecord {
  return {
    orderHash: text(row.order_hash),
    kind: ORDER_KIND_NAMES[Number(row.kind)],
    consumed: text(row.consumed),
    cancelled: Boolean(row.cancelled),
    approvedBy: nullableText(row.approved_by),
    ...lastChangeOf(row),
  };
}
