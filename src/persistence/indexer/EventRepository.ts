// The only code touching chain_event, the raw log the indexer fills: idempotent appends, the
// rewind after a reorg, and paging through one event type in insertion (= chain) order.
import { MoreThan, MoreThanOrEqual, type EntityManager } from "typeorm";
import { toJson } from "../../core/bigintJson.ts";
import { managerOf, type Database } from "../managerOf.ts";
import { PersistenceError } from "../PersistenceError.ts";
import { ChainEventEntity, type ChainEvent } from "./indexerEntities.ts";

/** An event to store. `args` may hold bigint values; they are stored as decimal strings. */
export type NewChainEvent = Omit<ChainEvent, "id" | "args"> & { args: Readonly<Record<string, unknown>> };

export type EventPage = { afterId?: number; limit?: number };

/** Rows per INSERT statement, far below PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 1_000;
const MAX_PAGE = 1_000;

export class EventRepository {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  /**
   * Appends events, skipping any already stored (same tx hash and log index), in one
   * transaction. Returns how many were new.
   */
  async insertMany(events: readonly NewChainEvent[]): Promise<number> {
    return (await this.insertNew(events)).length;
  }

  /**
   * Appends events like insertMany and returns those that were not stored before, in the given
   * order: what a projection of the events must still apply.
   */
  async insertNew<E extends NewChainEvent>(events: readonly E[]): Promise<E[]> {
    if (events.length === 0) return [];
    const rows = events.map(toRow);
    const stored = await this.#manager.transaction(async (manager) => {
      const keys = new Set<string>();
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        const result = await manager
          .createQueryBuilder()
          .insert()
          .into<EventRow>(ChainEventEntity)
          .values(rows.slice(start, start + INSERT_CHUNK))
          .orIgnore()
          .returning(["txHash", "logIndex"])
          .updateEntity(false)
          .execute();
        for (const row of result.raw as { tx_hash: string; log_index: number }[]) keys.add(`${row.tx_hash}:${row.log_index}`);
      }
      return keys;
    });
    return events.filter((_event, i) => stored.has(`${rows[i].txHash}:${rows[i].logIndex}`));
  }

  /** Deletes every event of block `number` and above (a reorg rewind); returns how many. */
  async deleteFromBlock(number: number): Promise<number> {
    const result = await this.#manager.getRepository(ChainEventEntity).delete({ blockNumber: MoreThanOrEqual(number) });
    return result.affected ?? 0;
  }

  /**
   * Events named `eventName` with id above `afterId` (default 0), oldest first, at most `limit`
   * (default 100, max 1000). Pass the last returned id as the next `afterId`.
   */
  async listByName(eventName: string, page: EventPage = {}): Promise<ChainEvent[]> {
    const { afterId = 0, limit = 100 } = page;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new PersistenceError("INVALID_PAGE", `limit must be an integer from 1 to ${MAX_PAGE}`, { limit });
    }
    return this.#manager.getRepository(ChainEventEntity).find({
      where: { eventName, id: MoreThan(afterId) },
      order: { id: "ASC" },
      take: limit,
    });
  }
}

/** A row to insert; `args` is typed loosely here only to keep TypeORM's deep partial types shallow. */
type EventRow = Omit<ChainEvent, "id" | "args"> & { args: object };

function toRow(event: NewChainEvent): EventRow {
  return {
    blockNumber: event.blockNumber,
    blockHash: event.blockHash.toLowerCase(),
    txHash: event.txHash.toLowerCase(),
    logIndex: event.logIndex,
    eventName: event.eventName,
    contract: event.contract.toLowerCase(),
    args: JSON.parse(toJson(event.args)),
  };
}
