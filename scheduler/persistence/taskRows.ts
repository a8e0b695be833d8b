// Maps raw scheduler rows (snake_case, int8 as text) to the typed rows repositories return.
import { readFailureVerdict } from "../../src/wire/smsApi/sessionVerdicts.ts";
import type { RuntimeOffer } from "../../src/wire/workerApi/assignment.ts";
import type { TaskState } from "../tasks/taskStates.ts";
import { priorityOfRank } from "../tasks/queueOrder.ts";
import type { SchedulerAttemptRow, SchedulerDealRow, SchedulerTaskRow, SchedulerWorkerRow } from "./schedulerEntities.ts";

type Raw = Record<string, unknown>;

const nullable = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function taskRowOf(raw: Raw): SchedulerTaskRow {
  return {
    taskId: String(raw.task_id),
    dealId: String(raw.deal_id),
    taskIndex: Number(raw.task_index),
    state: String(raw.state) as TaskState,
    worker: nullable(raw.worker),
    enclave: nullable(raw.enclave),
    attempt: Number(raw.attempt),
    authorization: nullable(raw.authorization),
    resultDigest: nullable(raw.result_digest),
    resultCid: nullable(raw.result_cid),
    enclaveSignature: nullable(raw.enclave_signature),
    smsAttestation: nullable(raw.sms_attestation),
    failureVerdict: readFailureVerdict(raw.failure_verdict) ?? null,
    pushTx: nullable(raw.push_tx),
    errorCode: nullable(raw.error_code),
    progress: nullable(raw.progress),
    updatedAt: new Date(raw.updated_at as string),
  };
}

export function dealRowOf(raw: Raw): SchedulerDealRow {
  return {
    dealId: String(raw.deal_id),
    workerpool: BigInt(String(raw.workerpool)),
    deal: raw.deal as Record<string, string>,
    params: String(raw.params),
    appCid: String(raw.app_cid),
    appMeasurement: String(raw.app_measurement),
    appChecksum: nullable(raw.app_checksum),
    datasetCid: nullable(raw.dataset_cid),
    datasetChecksum: nullable(raw.dataset_checksum),
    maxRunTime: Number(raw.max_run_time),
    tee: Boolean(raw.tee),
    deadline: Number(raw.deadline),
    dealBlock: Number(raw.deal_block),
    priority: priorityOfRank(Number(raw.priority ?? 1)),
    requester: nullable(raw.requester),
    createdAt: raw.created_at ? new Date(raw.created_at as string) : undefined,
  };
}

export function workerRowOf(raw: Raw): SchedulerWorkerRow {
  return {
    address: String(raw.address),
    cpu: Number(raw.cpu),
    memoryMb: Number(raw.memory_mb),
    tee: Boolean(raw.tee),
    gpu: Number(raw.gpu),
    runtimes: (raw.runtimes ?? [{ runtime: "node" }]) as RuntimeOffer[],
    registeredAt: new Date(raw.registered_at as string),
    lastHeartbeat: new Date(raw.last_heartbeat as string),
  };
}

export function attemptRowOf(raw: Raw): SchedulerAttemptRow {
  return {
    taskId: String(raw.task_id),
    attempt: Number(raw.attempt),
    worker: String(raw.worker),
    enclave: nullable(raw.enclave),
    assignedAt: new Date(raw.assigned_at as string),
    endedAt: raw.ended_at ? new Date(raw.ended_at as string) : null,
    outcome: nullable(raw.outcome) as SchedulerAttemptRow["outcome"],
    errorCode: nullable(raw.error_code),
  };
}
