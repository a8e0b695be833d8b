// The SMS's session policy on enclaves, kept in the database: a task's secrets go to at most one
// enclave per attempt; a reassignment is a new, later attempt (an older attempt is never reopened);
// and a task has a bounded number of attempts. Concurrent sessions are decided in one transaction
// that locks their tasks (advisory locks, so SMS replicas on one PostgreSQL agree too).
import type { EntityManager } from "typeorm";
import { Batcher } from "../../src/core/batcher.ts";
import { insertRows, type ArrayColumn } from "../../src/persistence/arrayInsert.ts";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";

export type BindingRequest = { taskId: string; attempt: number; enclave: string };

export type BindingRefusal = "ENCLAVE_ALREADY_BOUND" | "STALE_ATTEMPT" | "TOO_MANY_ATTEMPTS";

export type BindingVerdict = { ok: true } | { ok: false; reason: BindingRefusal; detail: string };

const BINDING_COLUMNS: readonly ArrayColumn<BindingRequest>[] = [
  { name: "task_id", type: "varchar", value: (binding) => binding.taskId },
  { name: "attempt", type: "integer", value: (binding) => binding.attempt },
  { name: "enclave", type: "varchar", value: (binding) => binding.enclave },
];

export class EnclaveBindingRepository {
  readonly #manager: EntityManager;
  readonly #maxAttempts: number;
  readonly #binder: Batcher<BindingRequest, BindingVerdict>;

  constructor(db: Database, options: { maxAttemptsPerTask: number }) {
    if (!Number.isSafeInteger(options.maxAttemptsPerTask) || options.maxAttemptsPerTask < 1) {
      throw new RangeError("maxAttemptsPerTask must be a positive integer");
    }
    this.#manager = managerOf(db);
    this.#maxAttempts = options.maxAttemptsPerTask;
    this.#binder = new Batcher((requests) => this.#bindBatch(requests));
  }

  /**
   * Binds `enclave` to the attempt of the task, or says why not. Binding the same enclave to the
   * same attempt again is allowed (a retried request); everything else that reuses an attempt,
   * goes back to an older one, or goes past the bound is refused.
   */
  bind(request: BindingRequest): Promise<BindingVerdict> {
    return this.#binder.submit({ ...request, taskId: request.taskId.toLowerCase(), enclave: request.enclave.toLowerCase() });
  }

  async #bindBatch(requests: readonly BindingRequest[]): Promise<BindingVerdict[]> {
    const taskIds = [...new Set(requests.map((request) => request.taskId))].sort();
    return this.#manager.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtextextended(task, 0)) FROM unnest($1::varchar[]) AS task ORDER BY task", [taskIds]);
      const rows: { task_id: string; attempt: number; enclave: string }[] = await manager.query(
        "SELECT task_id, attempt, enclave FROM sms_enclave_binding WHERE task_id = ANY($1::varchar[])",
        [taskIds],
      );
      const bound = new Map<string, Map<number, string>>();
      for (const row of rows) boundOf(bound, row.task_id).set(Number(row.attempt), row.enclave);
      const fresh: BindingRequest[] = [];
      const verdicts = requests.map((request) => {
        const verdict = this.#judge(boundOf(bound, request.taskId), request);
        if (verdict === "bind") {
          boundOf(bound, request.taskId).set(request.attempt, request.enclave);
          fresh.push(request);
          return { ok: true } as const;
        }
        return verdict;
      });
      if (fresh.length > 0) await insertRows(manager, "sms_enclave_binding", BINDING_COLUMNS, fresh);
      return verdicts;
    });
  }

  #judge(attempts: ReadonlyMap<number, string>, request: BindingRequest): BindingVerdict | "bind" {
    const holder = attempts.get(request.attempt);
    if (holder === request.enclave) return { ok: true };
    if (holder !== undefined) {
      return { ok: false, reason: "ENCLAVE_ALREADY_BOUND", detail: `attempt ${request.attempt} of task ${request.taskId} belongs to enclave ${holder}` };
    }
    const latest = Math.max(0, ...attempts.keys());
    if (latest > request.attempt) {
      return { ok: false, reason: "STALE_ATTEMPT", detail: `attempt ${request.attempt} is older than attempt ${latest} of task ${request.taskId}` };
    }
    if (attempts.size >= this.#maxAttempts) {
      return { ok: false, reason: "TOO_MANY_ATTEMPTS", detail: `task ${request.taskId} already had ${attempts.size} attempts, the most this SMS serves` };
    }
    return "bind";
  }
}

function boundOf(bound: Map<string, Map<number, string>>, taskId: string): Map<number, string> {
  let attempts = bound.get(taskId);
  if (attempts === undefined) {
    attempts = new Map();
    bound.set(taskId, attempts);
  }
  return attempts;
}
