// How a worker proves who it is on every request: an EIP-191 signature by the worker's key over
// the scheduler it speaks to (workerpool owner and id), the method, path, a timestamp and the
// body's sha256. A request replayed to another scheduler, path or body, or too late, fails.
import { createHash } from "node:crypto";
import { getAddress, verifyMessage, type Signer } from "ethers";
import { SchedulerError } from "../SchedulerError.ts";

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

/**
 * The worker address that signed the request. Throws BAD_SIGNATURE (missing, malformed or by
 * another key) or STALE_REQUEST (timestamp further than `windowMs` from now).
 */
export function verifyWorkerRequest(
  scheduler: SchedulerIdentity,
  headers: Record<string, string | string[] | undefined>,
  request: Omit<WorkerRequest, "timestampMs">,
  nowMs: number,
  windowMs: number,
): string {
  const worker = single(headers[WORKER_HEADER]);
  const timestamp = single(headers[TIMESTAMP_HEADER]);
  const signature = single(headers[SIGNATURE_HEADER]);
  if (!worker || !/^0x[0-9a-fA-F]{40}$/.test(worker) || !timestamp || !/^\d{1,16}$/.test(timestamp) || !signature) {
    throw new SchedulerError("BAD_SIGNATURE", `requests must carry ${WORKER_HEADER}, ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}`);
  }
  const timestampMs = Number(timestamp);
  if (Math.abs(nowMs - timestampMs) > windowMs) {
    throw new SchedulerError("STALE_REQUEST", "the request's timestamp is outside the accepted window", { timestampMs, nowMs, windowMs });
  }
  let signer: string;
  try {
    signer = verifyMessage(workerRequestMessage(scheduler, worker, { ...request, timestampMs }), signature);
  } catch {
    throw new SchedulerError("BAD_SIGNATURE", "the request signature is malformed");
  }
  if (signer !== getAddress(worker)) {
    throw new SchedulerError("BAD_SIGNATURE", "the request is not signed by the worker it names", { worker, signer });
  }
  return signer;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
