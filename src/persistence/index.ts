// The persistence module's public API: open a migrated DataSource (PGlite or PostgreSQL), the
// bigint column conventions, and the indexer's tables and repositories.
export { openDataSource, type MigrationClass, type OpenDataSourceOptions } from "./openDataSource.ts";
export { databaseMigrated } from "./migrationReadiness.ts";
export { PersistenceError, type PersistenceErrorCode } from "./PersistenceError.ts";
export { int8Transformer, uint256Transformer } from "./columnTransformers.ts";
export type { Database } from "./managerOf.ts";
export * from "./indexer/index.ts";
