// The only code reading and writing indexer cursors: where each named indexer stopped. Build it
// on a transaction's manager to move the cursor atomically with the events it covers.
import type { Repository } from "typeorm";
import { managerOf, type Database } from "../managerOf.ts";
import { IndexerCursorEntity, type IndexerCursor } from "./indexerEntities.ts";

export class CursorRepository {
  readonly #cursors: Repository<IndexerCursor>;

  constructor(db: Database) {
    this.#cursors = managerOf(db).getRepository(IndexerCursorEntity);
  }

  /** The cursor named `name`, or undefined before the indexer stored its first block. */
  async get(name: string): Promise<IndexerCursor | undefined> {
    return (await this.#cursors.findOneBy({ name })) ?? undefined;
  }

  /** Moves the cursor, forward after indexing or backward after a reorg rewind. */
  async set(name: string, position: { block: number; blockHash: string }): Promise<void> {
    await this.#cursors.upsert(
      { name, lastBlock: position.block, lastBlockHash: position.blockHash.toLowerCase(), updatedAt: new Date() },
      ["name"],
    );
  }

  /** Forgets the cursor: the indexer starts again from its first block. */
  async delete(name: string): Promise<void> {
    await this.#cursors.delete({ name });
  }
}
