// The only code touching sms_audit: appending one entry per decision, and paging through the
// entries that concern one dataset, one app or one requester, oldest first.
import { MoreThan, type EntityManager, type FindOptionsWhere } from "typeorm";
import { Batcher } from "../../src/core/batcher.ts";
import { decimal, insertRows, type ArrayColumn } from "../../src/persistence/arrayInsert.ts";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";
import { AuditEntity, type AuditRow } from "./smsEntities.ts";

export type NewAuditEntry = Omit<AuditRow, "id" | "at">;

/** Whose entries to read: those naming this dataset, this app, or this requester. */
export type AuditScope = { dataset: bigint } | { app: bigint } | { requester: string };

/** The most rows one read returns: a page of 500 and the one row that tells more exist. */
export const MAX_AUDIT_ROWS = 501;

/** The columns an appended entry fills; `id` and `at` come from their defaults. */
const AUDIT_COLUMNS: readonly ArrayColumn<NewAuditEntry>[] = [
  { name: "action", type: "varchar", value: (entry) => entry.action },
  { name: "outcome", type: "varchar", value: (entry) => entry.outcome },
  { name: "reason", type: "varchar", value: (entry) => entry.reason },
  { name: "detail", type: "varchar", value: (entry) => entry.detail.slice(0, 500) },
  { name: "actor", type: "varchar", value: (entry) => entry.actor },
  { name: "deal_id", type: "varchar", value: (entry) => entry.dealId },
  { name: "task_index", type: "numeric", value: (entry) => decimal(entry.taskIndex) },
  { name: "task_id", type: "varchar", value: (entry) => entry.taskId },
  { name: "enclave", type: "varchar", value: (entry) => entry.enclave },
  { name: "measurement", type: "varchar", value: (entry) => entry.measurement },
  { name: "app", type: "numeric", value: (entry) => decimal(entry.app) },
  { name: "dataset", type: "numeric", value: (entry) => decimal(entry.dataset) },
  { name: "requester", type: "varchar", value: (entry) => entry.requester },
  { name: "secrets", type: "jsonb", value: (entry) => JSON.stringify(entry.secrets) },
];

export class AuditRepository {
  readonly #manager: EntityManager;
  readonly #appender: Batcher<NewAuditEntry, number>;

  constructor(db: Database) {
    this.#manager = managerOf(db);
    this.#appender = new Batcher((entries) => this.#appendBatch(entries));
  }

  /**
   * Appends an entry and returns its id once it is committed. Entries appended at the same time
   * are committed together in one statement (group commit); each still waits for its own commit.
   */
  append(entry: NewAuditEntry): Promise<number> {
    return this.#appender.submit(entry);
  }

  /** One INSERT for many entries; ids come from one sequence, so ascending ids follow row order. */
  async #appendBatch(entries: readonly NewAuditEntry[]): Promise<number[]> {
    const rows = await insertRows<NewAuditEntry, { id: string }>(this.#manager, "sms_audit", AUDIT_COLUMNS, entries, "RETURNING id");
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  }

  /** Entries in `scope` with id above `afterId`, oldest first, at most `limit` (1..MAX_AUDIT_ROWS). */
  async list(scope: AuditScope, page: { afterId: number; limit: number }): Promise<AuditRow[]> {
    const where: FindOptionsWhere<AuditRow> = { id: MoreThan(page.afterId) };
    if ("dataset" in scope) where.dataset = scope.dataset;
    else if ("app" in scope) where.app = scope.app;
    else where.requester = scope.requester.toLowerCase();
    return this.#manager.getRepository(AuditEntity).find({
      where,
      order: { id: "ASC" },
      take: Math.min(Math.max(page.limit, 1), MAX_AUDIT_ROWS),
    });
  }
}
