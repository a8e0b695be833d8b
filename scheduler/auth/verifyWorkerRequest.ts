// The scheduler's side of worker request signatures (src/wire/workerApi/workerRequestSignature.ts):
// which worker signed a request, or a typed refusal.
import { getAddress, verifyMessage } from "ethers";
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  WORKER_HEADER,
  workerRequestMessage,
  type SchedulerIdentity,
  type WorkerRequest,
} from "../../src/wire/workerApi/workerRequestSignature.ts";
import { SchedulerError } from "../SchedulerError.ts";

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
