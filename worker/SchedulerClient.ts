// A worker's side of the scheduler API: every request signed by the worker's key for this
// scheduler; refusals become SCHEDULER_REFUSED with the scheduler's code, transport failures
// and unreadable answers SCHEDULER_UNAVAILABLE. A busy scheduler (429, or 503 to a GET) is asked
// again after its Retry-After, each attempt signed afresh.
import type { Signer } from "ethers";
import { signWorkerRequest, type SchedulerIdentity } from "../src/wire/workerApi/workerRequestSignature.ts";
import type { WorkerCapabilities } from "../src/wire/workerApi/assignment.ts";
import { fetchWithRetry, type FetchWithRetryOptions } from "../src/core/fetchWithRetry.ts";
import { WorkerError } from "./WorkerError.ts";
import type { Assignment, FailureNotice, ResultReport } from "../src/wire/workerApi/assignment.ts";

export type SchedulerInfo = { workerpool: string; workerpoolOwner: string; chainId: string; continuum: string; heartbeatIntervalMs: number };

export class SchedulerClient {
  readonly #baseUrl: string;
  readonly #key: Signer;
  readonly #retry: FetchWithRetryOptions;
  #identity: SchedulerIdentity | undefined;
  address = "";

  /** `retry` tunes how a busy scheduler (429, or 503 to a GET) is asked again. */
  constructor(baseUrl: string, key: Signer, retry: FetchWithRetryOptions = {}) {
    this.#baseUrl = baseUrl.replace(/\/+$/, "");
    this.#key = key;
    this.#retry = retry;
  }

  async info(): Promise<SchedulerInfo> {
    const info = (await this.#send("GET", "/v1/info", undefined, false)).body as SchedulerInfo;
    this.#identity = { owner: info.workerpoolOwner, workerpool: BigInt(info.workerpool) };
    this.address = await this.#key.getAddress();
    return info;
  }

  async register(capabilities: WorkerCapabilities): Promise<void> {
    await this.#send("POST", "/v1/workers", { capabilities });
  }

  async heartbeat(): Promise<void> {
    await this.#send("POST", `/v1/workers/${this.address}/heartbeat`, {});
  }

  /** The next assignment, waiting up to `waitMs` for one; undefined when none came. */
  async nextTask(waitMs: number, signal?: AbortSignal): Promise<Assignment | undefined> {
    const answer = await this.#send("GET", `/v1/workers/${this.address}/next-task?waitMs=${waitMs}`, undefined, true, signal);
    return answer.status === 204 ? undefined : (answer.body as { assignment: Assignment }).assignment;
  }

  async authorize(taskId: string, enclave: string, signal?: AbortSignal): Promise<string> {
    return ((await this.#send("POST", `/v1/tasks/${taskId}/authorization`, { enclave }, true, signal)).body as { authorization: string }).authorization;
  }

  async progress(taskId: string, stage: string): Promise<void> {
    await this.#send("POST", `/v1/tasks/${taskId}/progress`, { stage });
  }

  async result(taskId: string, report: ResultReport): Promise<void> {
    await this.#send("POST", `/v1/tasks/${taskId}/result`, report);
  }

  async failure(taskId: string, notice: FailureNotice): Promise<void> {
    await this.#send("POST", `/v1/tasks/${taskId}/failure`, notice);
  }

  async #headers(method: string, path: string, text: string, hasBody: boolean, signed: boolean): Promise<Record<string, string>> {
    const headers: Record<string, string> = hasBody ? { "content-type": "application/json" } : {};
    if (signed) Object.assign(headers, await signWorkerRequest(this.#key, this.#identity!, { method, path, timestampMs: Date.now(), body: text }));
    return headers;
  }

  async #send(method: string, path: string, body: unknown, signed = true, signal?: AbortSignal): Promise<{ status: number; body: unknown }> {
    const text = body === undefined ? "" : JSON.stringify(body);
    if (signed && !this.#identity) throw new WorkerError("SCHEDULER_UNAVAILABLE", "call info() before signed requests");
    let response: Response;
    try {
      // Signed afresh per attempt: a retry after Retry-After must not carry a stale timestamp.
      const request = async (): Promise<RequestInit> => ({
        method,
        headers: await this.#headers(method, path, text, body !== undefined, signed),
        body: body === undefined ? undefined : text,
        signal,
      });
      response = await fetchWithRetry(`${this.#baseUrl}${path}`, request, { ...this.#retry, signal });
    } catch (error) {
      throw new WorkerError("SCHEDULER_UNAVAILABLE", `cannot reach the scheduler at ${this.#baseUrl}`, { path }, { cause: error });
    }
    const raw = await response.text();
    let parsed: unknown;
    try {
      parsed = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      throw new WorkerError("SCHEDULER_UNAVAILABLE", "the scheduler answered something other than JSON", { path, status: response.status });
    }
    if (response.ok) return { status: response.status, body: parsed };
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new WorkerError("SCHEDULER_REFUSED", error?.message ?? `the scheduler answered ${response.status}`, {
      status: response.status,
      code: error?.code,
      path,
    });
  }
}
