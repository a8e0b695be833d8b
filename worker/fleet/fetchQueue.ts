// Reads a scheduler's GET /v1/queue, the autoscaler's signal; an unreachable scheduler or an answer
// that is not a queue snapshot is a WorkerError the autoscaler logs and waits out.
import { queueSnapshotSchema, type QueueSnapshotMessage } from "../../src/wire/workerApi/queueSnapshot.ts";
import { WorkerError } from "../WorkerError.ts";

export async function fetchQueue(schedulerUrl: string, signal?: AbortSignal): Promise<QueueSnapshotMessage> {
  const url = new URL("/v1/queue", schedulerUrl);
  let response: Response;
  try {
    response = await fetch(url, { signal: signal ?? AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new WorkerError("SCHEDULER_UNAVAILABLE", `cannot reach the scheduler at ${url.origin}`, { url: url.href }, { cause });
  }
  if (!response.ok) {
    throw new WorkerError("SCHEDULER_REFUSED", `the scheduler answered ${response.status} to GET /v1/queue`, { status: response.status });
  }
  const parsed = queueSnapshotSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new WorkerError("SCHEDULER_UNAVAILABLE", "the scheduler's GET /v1/queue answer is not a queue snapshot", { url: url.href });
  return parsed.data;
}
