// Applies pending migrations in one transaction while holding a PostgreSQL advisory lock, so two
// services starting against the same schema never run the same migration twice.
import { MigrationExecutor, type DataSource } from "typeorm";

/** Advisory lock class id ("Cont" in ASCII); the second key is the schema, so schemas don't wait on each other. */
const MIGRATION_LOCK_CLASS = 0x436f6e74;

/** Returns the names of the migrations applied by this call, oldest first. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query("SELECT pg_advisory_lock($1, hashtext(current_schema()))", [MIGRATION_LOCK_CLASS]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = "all";
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query("SELECT pg_advisory_unlock($1, hashtext(current_schema()))", [MIGRATION_LOCK_CLASS]);
    }
  } finally {
    await runner.release();
  }
}
