// How a worker proves who it is on every request: an EIP-191 signature by the worker's key over
// the scheduler it speaks to (workerpool owner and id), the method, path, a timestamp and the
// body's sha256. The scheduler verifies it (scheduler/auth/verifyWorkerRequest.ts): a request
// replayed to another scheduler, path or body, or too late, fails.
import { createHash } from "node:crypto";
import { getAddress, type Signer } from "ethers";

export const WORKER_HEADER = "x-continuum-worker";
export const TIMESTAMP_HEADER = "x-continuum-timestamp";
export const SIGNATURE_HEADER = "x-continuum-signature";

/** Whom a signed request is for: the scheduler of one workerpool, known by its owner's address. */
export type SchedulerIdentity = { owner: string; workerpool: bigint };

export type WorkerRequest = { method: string; path: string; timestampMs: number; body: string | Uint8Array };

export function workerRequestMessage(scheduler: SchedulerIdentity, worker: string, request: WorkerRequest): string {
  return [
    "Continuum worker request",
    `scheduler: ${getAddress(scheduler.owner)}`,
    `workerpool: ${scheduler.workerpool}`,
    `worker: ${getAddress(worker)}`,
    `method: ${request.method.toUpperCase()}`,
    `path: ${request.path}`,
    `timestamp: ${request.timestampMs}`,
    `body-sha256: ${createHash("sha256").update(request.body).digest("hex")}`,
  ].join("\n");
}

/** The three headers a worker sends with a request. */
export async function signWorkerRequest(
  signer: Signer,
  scheduler: SchedulerIdentity,
  request: WorkerRequest,
): Promise<Record<string, string>> {
  const worker = await signer.getAddress();
  const signature = await signer.signMessage(workerRequestMessage(scheduler, worker, request));
  return { [WORKER_HEADER]: worker, [TIMESTAMP_HEADER]: String(request.timestampMs), [SIGNATURE_HEADER]: signature };
}
