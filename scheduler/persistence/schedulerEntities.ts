// TypeORM mappings of the scheduler's tables (created by CreateSchedulerTables). Repositories
// read and write through these and through conditional SQL updates; nothing else touches them.
import { EntitySchema } from "typeorm";
import { int8Transformer, uint256Transformer } from "../../src/persistence/columnTransformers.ts";
import { priorityOfRank, priorityRank } from "../tasks/queueOrder.ts";
import type { FailureVerdict } from "../../src/wire/smsApi/sessionVerdicts.ts";
import type { PriorityClass } from "../../src/wire/requestParams.ts";
import type { RuntimeOffer } from "../../src/wire/workerApi/assignment.ts";
import type { TaskState } from "../tasks/taskStates.ts";

export type SchedulerDealRow = {
  dealId: string;
  workerpool: bigint;
  /** The Deal struct with uint256 fields as decimal strings. */
  deal: Record<string, string>;
  params: string;
  appCid: string;
  appMeasurement: string;
  /** sha256 of the app bundle; null for deals taken in before runtimes were matched. */
  appChecksum: string | null;
  datasetCid: string | null;
  datasetChecksum: string | null;
  maxRunTime: number;
  tee: boolean;
  /** Unix seconds. */
  deadline: number;
  /** The block of the deal's DealCreated log. */
  dealBlock: number;
  /** The priority class the scheduler honours for the deal (see DealIntake: the pool's price floor may lower it). */
  priority: PriorityClass;
  /** The deal's requester, whom workers are shared between; null for deals stored without one. */
  requester: string | null;
  createdAt?: Date;
};

export type SchedulerTaskRow = {
  taskId: string;
  dealId: string;
  taskIndex: number;
  state: TaskState;
  worker: string | null;
  enclave: string | null;
  attempt: number;
  authorization: string | null;
  resultDigest: string | null;
  resultCid: string | null;
  enclaveSignature: string | null;
  /** The SMS's EnclaveAttested signature for this attempt's enclave, pushed with a TEE result. */
  smsAttestation: string | null;
  /** The SMS's TaskFailure verdict when it blamed another party than the workerpool. */
  failureVerdict: FailureVerdict | null;
  pushTx: string | null;
  errorCode: string | null;
  progress: string | null;
  updatedAt: Date;
};

export type SchedulerWorkerRow = {
  address: string;
  cpu: number;
  memoryMb: number;
  tee: boolean;
  gpu: number;
  /** The app runtimes the worker offers. */
  runtimes: RuntimeOffer[];
  registeredAt: Date;
  lastHeartbeat: Date;
};

export type AttemptOutcome = "result" | "failed" | "lost";

export type SchedulerAttemptRow = {
  taskId: string;
  attempt: number;
  worker: string;
  enclave: string | null;
  assignedAt: Date;
  endedAt: Date | null;
  outcome: AttemptOutcome | null;
  errorCode: string | null;
};

const HASH = { type: "varchar", length: 66 } as const;

/** Priority classes are stored as their rank, so that ORDER BY priority puts urgent first. */
const priorityTransformer = {
  to: (value: PriorityClass | undefined) => (value === undefined ? undefined : priorityRank(value)),
  from: (value: unknown) => priorityOfRank(Number(value)),
};
const ADDRESS = { type: "varchar", length: 42 } as const;

export const SchedulerDealEntity = new EntitySchema<SchedulerDealRow>({
  name: "SchedulerDeal",
  tableName: "scheduler_deal",
  columns: {
    dealId: { name: "deal_id", ...HASH, primary: true },
    workerpool: { type: "numeric", precision: 78, scale: 0, transformer: uint256Transformer },
    deal: { type: "jsonb" },
    params: { type: "text" },
    appCid: { name: "app_cid", type: "text" },
    appMeasurement: { name: "app_measurement", ...HASH },
    appChecksum: { name: "app_checksum", ...HASH, nullable: true },
    datasetCid: { name: "dataset_cid", type: "text", nullable: true },
    datasetChecksum: { name: "dataset_checksum", ...HASH, nullable: true },
    maxRunTime: { name: "max_run_time", type: "integer" },
    tee: { type: "boolean" },
    deadline: { type: "bigint", transformer: int8Transformer },
    dealBlock: { name: "deal_block", type: "bigint", transformer: int8Transformer },
    priority: { type: "smallint", transformer: priorityTransformer },
    requester: { ...ADDRESS, nullable: true },
    createdAt: { name: "created_at", type: "timestamptz", createDate: true },
  },
});

export const SchedulerTaskEntity = new EntitySchema<SchedulerTaskRow>({
  name: "SchedulerTask",
  tableName: "scheduler_task",
  columns: {
    taskId: { name: "task_id", ...HASH, primary: true },
    dealId: { name: "deal_id", ...HASH },
    taskIndex: { name: "task_index", type: "bigint", transformer: int8Transformer },
    state: { type: "varchar", length: 16 },
    worker: { ...ADDRESS, nullable: true },
    enclave: { ...ADDRESS, nullable: true },
    attempt: { type: "integer" },
    authorization: { type: "text", nullable: true },
    resultDigest: { name: "result_digest", ...HASH, nullable: true },
    resultCid: { name: "result_cid", type: "text", nullable: true },
    enclaveSignature: { name: "enclave_signature", type: "text", nullable: true },
    smsAttestation: { name: "sms_attestation", type: "text", nullable: true },
    failureVerdict: { name: "failure_verdict", type: "jsonb", nullable: true },
    pushTx: { name: "push_tx", ...HASH, nullable: true },
    errorCode: { name: "error_code", type: "varchar", length: 64, nullable: true },
    progress: { type: "text", nullable: true },
    updatedAt: { name: "updated_at", type: "timestamptz" },
  },
});

export const SchedulerWorkerEntity = new EntitySchema<SchedulerWorkerRow>({
  name: "SchedulerWorker",
  tableName: "scheduler_worker",
  columns: {
    address: { ...ADDRESS, primary: true },
    cpu: { type: "integer" },
    memoryMb: { name: "memory_mb", type: "integer" },
    tee: { type: "boolean" },
    gpu: { type: "integer" },
    runtimes: { type: "jsonb" },
    registeredAt: { name: "registered_at", type: "timestamptz" },
    lastHeartbeat: { name: "last_heartbeat", type: "timestamptz" },
  },
});

export const SchedulerAttemptEntity = new EntitySchema<SchedulerAttemptRow>({
  name: "SchedulerAttempt",
  tableName: "scheduler_attempt",
  columns: {
    taskId: { name: "task_id", ...HASH, primary: true },
    attempt: { type: "integer", primary: true },
    worker: ADDRESS,
    enclave: { ...ADDRESS, nullable: true },
    assignedAt: { name: "assigned_at", type: "timestamptz" },
    endedAt: { name: "ended_at", type: "timestamptz", nullable: true },
    outcome: { type: "varchar", length: 16, nullable: true },
    errorCode: { name: "error_code", type: "varchar", length: 64, nullable: true },
  },
});

export const schedulerEntities = [SchedulerDealEntity, SchedulerTaskEntity, SchedulerWorkerEntity, SchedulerAttemptEntity];
