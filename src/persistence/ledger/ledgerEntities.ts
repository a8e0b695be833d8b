// TypeORM mappings of the ledger tables (created by the CreateLedgerTables migration). uint256
// columns are numeric(78,0) read as decimal strings; block numbers are JS numbers.
import { EntitySchema, type EntitySchemaColumnOptions } from "typeorm";
import { int8Transformer } from "../columnTransformers.ts";
import type {
  AssetEventRow,
  AssetRow,
  CategoryRow,
  DealRow,
  FactsOf,
  OrderEventRow,
  PaymentRow,
  ReputationRow,
  TaskRow,
} from "./ledgerRows.ts";

type Position = { blockNumber: number; blockTime: Date; txHash: string; logIndex: number };
type LastChange = Omit<Position, "logIndex">;
/** A row as its table stores it: the same facts, its chain position in column form. */
type Stored<Row> = FactsOf<Row> & Position;

export type LedgerCategory = Stored<CategoryRow>;
export type LedgerAsset = Stored<AssetRow>;
export type LedgerAssetEvent = Stored<AssetEventRow>;
export type LedgerDeal = Stored<DealRow> & { tasksCompleted: string; tasksFailed: string; tasksClaimed: string };
export type LedgerTask = Stored<TaskRow>;
export type LedgerPayment = Stored<PaymentRow> & { id: number };
export type LedgerEscrowAccount = LastChange & { address: string; balance: string; locked: string };
export type LedgerOrderEvent = Stored<OrderEventRow>;
export type LedgerOrderState = LastChange & {
  orderHash: string;
  kind: number;
  consumed: string;
  cancelled: boolean;
  approvedBy: string | null;
};
export type LedgerReputation = FactsOf<ReputationRow> & LastChange;

const UINT: EntitySchemaColumnOptions = { type: "numeric", precision: 78, scale: 0 };
const HASH: EntitySchemaColumnOptions = { type: "varchar", length: 66 };
const ADDRESS: EntitySchemaColumnOptions = { type: "varchar", length: 42 };
const named = (name: string, column: EntitySchemaColumnOptions, extra: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({
  ...column,
  name,
  ...extra,
});

const LAST_CHANGE = {
  blockNumber: { name: "block_number", type: "bigint", transformer: int8Transformer },
  blockTime: { name: "block_time", type: "timestamptz" },
  txHash: named("tx_hash", HASH),
} satisfies Record<string, EntitySchemaColumnOptions>;
const POSITION = { ...LAST_CHANGE, logIndex: { name: "log_index", type: "integer" } } satisfies Record<
  string,
  EntitySchemaColumnOptions
>;

export const LedgerCategoryEntity = new EntitySchema<LedgerCategory>({
  name: "LedgerCategory",
  tableName: "ledger_category",
  columns: {
    category: { ...UINT, primary: true },
    name: { type: "text" },
    description: { type: "text" },
    maxRunTime: named("max_run_time", UINT),
    ...POSITION,
  },
});

export const LedgerAssetEntity = new EntitySchema<LedgerAsset>({
  name: "LedgerAsset",
  tableName: "ledger_asset",
  columns: {
    kind: { type: "varchar", length: 16, primary: true },
    assetId: named("asset_id", UINT, { primary: true }),
    owner: ADDRESS,
    name: { type: "text", nullable: true },
    contentCid: { name: "content_cid", type: "text", nullable: true },
    checksum: { ...HASH, nullable: true },
    measurement: { ...HASH, nullable: true },
    description: { type: "text", nullable: true },
    ...POSITION,
  },
});

export const LedgerAssetEventEntity = new EntitySchema<LedgerAssetEvent>({
  name: "LedgerAssetEvent",
  tableName: "ledger_asset_event",
  columns: {
    kind: { type: "varchar", length: 16 },
    assetId: named("asset_id", UINT),
    change: { type: "varchar", length: 16 },
    fromAddress: named("from_address", ADDRESS, { nullable: true }),
    toAddress: named("to_address", ADDRESS, { nullable: true }),
    description: { type: "text", nullable: true },
    ...POSITION,
    txHash: named("tx_hash", HASH, { primary: true }),
    logIndex: { name: "log_index", type: "integer", primary: true },
  },
});

export const LedgerDealEntity = new EntitySchema<LedgerDeal>({
  name: "LedgerDeal",
  tableName: "ledger_deal",
  columns: {
    dealId: named("deal_id", HASH, { primary: true }),
    app: UINT,
    dataset: UINT,
    workerpool: UINT,
    appOwner: named("app_owner", ADDRESS),
    datasetOwner: named("dataset_owner", ADDRESS),
    workerpoolOwner: named("workerpool_owner", ADDRESS),
    appPrice: named("app_price", UINT),
    datasetPrice: named("dataset_price", UINT),
    workerpoolPrice: named("workerpool_price", UINT),
    requester: ADDRESS,
    beneficiary: ADDRESS,
    category: UINT,
    tag: HASH,
    volume: UINT,
    stakePerTask: named("stake_per_task", UINT),
    startTime: named("start_time", UINT),
    deadline: UINT,
    resultPublicKey: named("result_public_key", HASH),
    paramsHash: named("params_hash", HASH),
    requestHash: named("request_hash", HASH),
    requestOffset: named("request_offset", UINT),
    appOrderHash: named("app_order_hash", HASH),
    datasetOrderHash: named("dataset_order_hash", HASH),
    workerpoolOrderHash: named("workerpool_order_hash", HASH),
    params: { type: "text" },
    tasksCompleted: named("tasks_completed", UINT),
    tasksFailed: named("tasks_failed", UINT),
    tasksClaimed: named("tasks_claimed", UINT),
    ...POSITION,
  },
});

export const LedgerTaskEntity = new EntitySchema<LedgerTask>({
  name: "LedgerTask",
  tableName: "ledger_task",
  columns: {
    dealId: named("deal_id", HASH, { primary: true }),
    taskIndex: named("task_index", UINT, { primary: true }),
    taskId: named("task_id", HASH),
    status: { type: "varchar", length: 16 },
    worker: { ...ADDRESS, nullable: true },
    enclave: { ...ADDRESS, nullable: true },
    resultDigest: named("result_digest", HASH, { nullable: true }),
    resultCid: { name: "result_cid", type: "text", nullable: true },
    failureCause: { name: "failure_cause", type: "smallint", nullable: true },
    failureAttempt: { name: "failure_attempt", type: "bigint", nullable: true },
    ...POSITION,
  },
});

export const LedgerPaymentEntity = new EntitySchema<LedgerPayment>({
  name: "LedgerPayment",
  tableName: "ledger_payment",
  columns: {
    id: { type: "bigint", primary: true, generated: "increment", transformer: int8Transformer },
    kind: { type: "varchar", length: 24 },
    fromAddress: named("from_address", ADDRESS, { nullable: true }),
    toAddress: named("to_address", ADDRESS, { nullable: true }),
    amount: UINT,
    dealId: named("deal_id", HASH, { nullable: true }),
    taskIndex: named("task_index", UINT, { nullable: true }),
    seq: { type: "smallint" },
    ...POSITION,
  },
});

export const LedgerEscrowAccountEntity = new EntitySchema<LedgerEscrowAccount>({
  name: "LedgerEscrowAccount",
  tableName: "ledger_escrow_account",
  columns: { address: { ...ADDRESS, primary: true }, balance: UINT, locked: UINT, ...LAST_CHANGE },
});

export const LedgerOrderEventEntity = new EntitySchema<LedgerOrderEvent>({
  name: "LedgerOrderEvent",
  tableName: "ledger_order_event",
  columns: {
    orderHash: named("order_hash", HASH),
    kind: { type: "smallint" },
    action: { type: "varchar", length: 16 },
    signer: ADDRESS,
    ...POSITION,
    txHash: named("tx_hash", HASH, { primary: true }),
    logIndex: { name: "log_index", type: "integer", primary: true },
  },
});

export const LedgerOrderStateEntity = new EntitySchema<LedgerOrderState>({
  name: "LedgerOrderState",
  tableName: "ledger_order_state",
  columns: {
    orderHash: named("order_hash", HASH, { primary: true }),
    kind: { type: "smallint" },
    consumed: UINT,
    cancelled: { type: "boolean" },
    approvedBy: named("approved_by", ADDRESS, { nullable: true }),
    ...LAST_CHANGE,
  },
});

export const LedgerReputationEntity = new EntitySchema<LedgerReputation>({
  name: "LedgerReputation",
  tableName: "ledger_reputation",
  columns: { workerpool: { ...UINT, primary: true }, completed: UINT, failed: UINT, score: UINT, ...LAST_CHANGE },
});

export const ledgerEntities = [
  LedgerCategoryEntity,
  LedgerAssetEntity,
  LedgerAssetEventEntity,
  LedgerDealEntity,
  LedgerTaskEntity,
  LedgerPaymentEntity,
  LedgerEscrowAccountEntity,
  LedgerOrderEventEntity,
  LedgerOrderStateEntity,
  LedgerReputationEntity,
];
