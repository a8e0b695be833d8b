// The only code touching sms_audit: appending one entry per decision, and paging through the
// entries that concern one dataset, one app or one requester, oldest first.
import { MoreThan, type EntityManager, type FindOptionsWhere } from "typeorm";
import { Batcher } from "../../src/async/batcher.ts";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";
import { AuditEntity, type AuditRow } from "./smsEntities.ts";

export type NewAuditEntry = Omit<AuditRow, "id" | "at">;

/** Whose entries to read: those naming this dataset, this app, or this requester. */
export type AuditScope = { dataset: bigint } | { app: bigint } | { requester: string };

export const MAX_AUDIT_PAGE = 500;

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

  /**
   * One INSERT for many entries, one array parameter per column, so the statement is the same
   * whatever the batch size. Ids come from one sequence, so ascending ids follow row order.
   */
  async #appendBatch(entries: readonly NewAuditEntry[]): Promise<number[]> {
    const column = <T>(value: (entry: NewAuditEntry) => T) => entries.map(value);
    const text = (value: bigint | null) => (value === null ? null : value.toString());
    const rows: { id: string }[] = await this.#manager.query(
      `INSERT INTO sms_audit (action, outcome, reason, detail, actor, deal_id, task_index, task_id, enclave, measurement, app, dataset, requester, secrets)
       SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::numeric[],
                            $8::varchar[], $9::varchar[], $10::varchar[], $11::numeric[], $12::numeric[], $13::varchar[], $14::jsonb[])
       RETURNING id`,
      [
        column((entry) => entry.action),
        column((entry) => entry.outcome),
        column((entry) => entry.reason),
        column((entry) => entry.detail.slice(0, 500)),
        column((entry) => entry.actor),
        column((entry) => entry.dealId),
        column((entry) => text(entry.taskIndex)),
        column((entry) => entry.taskId),
        column((entry) => entry.enclave),
        column((entry) => entry.measurement),
        column((entry) => text(entry.app)),
        column((entry) => text(entry.dataset)),
        column((entry) => entry.requester),
        column((entry) => JSON.stringify(entry.secrets)),
      ],
    );
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  }

  /** Entries in `scope` with id above `afterId`, oldest first, at most `limit` (1..500). */
  async list(scope: AuditScope, page: { afterId: number; limit: number }): Promise<AuditRow[]> {
    const where: FindOptionsWhere<AuditRow> = { id: MoreThan(page.afterId) };
    if ("dataset" in scope) where.dataset = scope.dataset;
    else if ("app" in scope) where.app = scope.app;
    else where.requester = scope.requester.toLowerCase();
    return this.#manager.getRepository(AuditEntity).find({
      where,
      order: { id: "ASC" },
      take: Math.min(Math.max(page.limit, 1), MAX_AUDIT_PAGE),
    });
  }
}
