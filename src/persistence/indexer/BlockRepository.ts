// The only code touching indexed_block: the hashes of recently indexed blocks, which the indexer
// compares with each new block's parent hash to detect a reorg and find where to rewind.
import { In, LessThan, LessThanOrEqual, MoreThanOrEqual, type Repository } from "typeorm";
import { managerOf, type Database } from "../managerOf.ts";
import { PersistenceError } from "../PersistenceError.ts";
import { IndexedBlockEntity, type IndexedBlock } from "./indexerEntities.ts";

export class BlockRepository {
  readonly #blocks: Repository<IndexedBlock>;

  constructor(db: Database) {
    this.#blocks = managerOf(db).getRepository(IndexedBlockEntity);
  }

  /**
   * Records blocks; recording the same block again is a no-op. A different hash at a recorded
   * height throws BLOCK_HASH_CONFLICT: the caller must rewind (deleteFrom) before re-recording.
   */
  async record(blocks: readonly IndexedBlock[]): Promise<void> {
    if (blocks.length === 0) return;
    const rows = blocks.map((block) => ({
      number: block.number,
      hash: block.hash.toLowerCase(),
      parentHash: block.parentHash.toLowerCase(),
    }));
    const result = await this.#blocks.createQueryBuilder().insert().values(rows).orIgnore().returning("number").updateEntity(false).execute();
    if (result.raw.length === rows.length) return;
    const stored = await this.#blocks.findBy({ number: In(rows.map((row) => row.number)) });
    const storedHash = new Map(stored.map((block) => [block.number, block.hash]));
    const conflict = rows.find((row) => storedHash.get(row.number) !== row.hash);
    if (conflict) {
      throw new PersistenceError(
        "BLOCK_HASH_CONFLICT",
        `block ${conflict.number} is recorded with hash ${storedHash.get(conflict.number)}, not ${conflict.hash}`,
        { number: conflict.number, stored: storedHash.get(conflict.number), given: conflict.hash },
      );
    }
  }

  /** The recorded hash of block `number`, or undefined if that block is not recorded. */
  async hashAt(number: number): Promise<string | undefined> {
    return (await this.#blocks.findOneBy({ number }))?.hash;
  }

  /** Recorded blocks at or below `number`, highest first, at most `limit`: where to look for a fork point. */
  async recordedAtOrBelow(number: number, limit: number): Promise<IndexedBlock[]> {
    return this.#blocks.find({ where: { number: LessThanOrEqual(number) }, order: { number: "DESC" }, take: limit });
  }

  /** Forgets blocks below `number` (too deep to be reorganized); returns how many were deleted. */
  async deleteBelow(number: number): Promise<number> {
    const result = await this.#blocks.delete({ number: LessThan(number) });
    return result.affected ?? 0;
  }

  /** Forgets blocks `number` and above (a reorg rewind); returns how many were deleted. */
  async deleteFrom(number: number): Promise<number> {
    const result = await this.#blocks.delete({ number: MoreThanOrEqual(number) });
    return result.affected ?? 0;
  }
}
