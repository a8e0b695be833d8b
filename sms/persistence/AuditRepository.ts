// The only code touching sms_audit: appending one entry per decision, and paging through the
// entries that concern one dataset, one app or one requester, oldest first.
import { MoreThan, type EntityManager, type FindOptionsWhere } from "typeorm";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";
import { AuditEntity, type AuditRow } from "./smsEntities.ts";

export type NewAuditEntry = Omit<AuditRow, "id" | "at">;

/** Whose entries to read: those naming this dataset, this app, or this requester. */
export type AuditScope = { dataset: bigint } | { app: bigint } | { requester: string };

export const MAX_AUDIT_PAGE = 500;

export class AuditRepository {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  /** Appends an entry and returns its id. */
  async append(entry: NewAuditEntry): Promise<number> {
    const result = await this.#manager
      .createQueryBuilder()
      .insert()
      .into(AuditEntity)
      .values({ ...entry, detail: entry.detail.slice(0, 500) })
      .returning("id")
      .updateEntity(false)
      .execute();
    return Number((result.raw as { id: string }[])[0].id);
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
