// Builds the indexer's three repositories on one DataSource or transaction manager, so a block's
// events, its hash and the cursor can be written in a single `dataSource.transaction(...)`.
import type { Database } from "../managerOf.ts";
import { BlockRepository } from "./BlockRepository.ts";
import { CursorRepository } from "./CursorRepository.ts";
import { EventRepository } from "./EventRepository.ts";

export type IndexerRepositories = { cursors: CursorRepository; events: EventRepository; blocks: BlockRepository };

export function indexerRepositories(db: Database): IndexerRepositories {
  return { cursors: new CursorRepository(db), events: new EventRepository(db), blocks: new BlockRepository(db) };
}
