// The indexer's persistence: table mappings, the migration creating them, and the repositories
// that are the only code reading or writing those tables.
import { CreateIndexerTables1795385018876 } from "./migrations/1795385018876-CreateIndexerTables.ts";

export {
  indexerEntities,
  ChainEventEntity,
  IndexedBlockEntity,
  IndexerCursorEntity,
  type ChainEvent,
  type IndexedBlock,
  type IndexerCursor,
  type JsonValue,
} from "./indexerEntities.ts";
export { CursorRepository } from "./CursorRepository.ts";
export { BlockRepository } from "./BlockRepository.ts";
export { EventRepository, type EventPage, type NewChainEvent } from "./EventRepository.ts";
export { indexerRepositories, type IndexerRepositories } from "./indexerRepositories.ts";
export { CreateIndexerTables1795385018876 };

/** Every migration of the indexer tables, oldest first. */
export const indexerMigrations = [CreateIndexerTables1795385018876];
