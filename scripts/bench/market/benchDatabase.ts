// The book's database for a benchmark run: PGlite in a throw-away directory by default, or a
// throw-away schema on the PostgreSQL server named by a URL; removed when the run ends.
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../src/core/logger.ts";
import { bookEntities, bookMigrations } from "../../../src/market/book/index.ts";
import { openDataSource } from "../../../src/persistence/index.ts";
import { createScratchSchema, createTemporaryDirectory } from "../../../src/persistence/testing/index.ts";

export type BenchDatabase = { dataSource: DataSource; backend: "pglite" | "postgres"; close(): Promise<void> };

export async function openBenchDatabase(url?: string): Promise<BenchDatabase> {
  const options = { entities: bookEntities, migrations: bookMigrations, logger: silentLogger() };
  if (url) {
    const schema = await createScratchSchema(url);
    try {
      const dataSource = await openDataSource({ ...options, url, schema: schema.name });
      return { dataSource, backend: "postgres", close: async () => { await dataSource.destroy(); await schema.drop(); } };
    } catch (error) {
      await schema.drop();
      throw error;
    }
  }
  const directory = await createTemporaryDirectory("continuum-bench-market-");
  try {
    const dataSource = await openDataSource({ ...options, pgliteDir: directory.path });
    return { dataSource, backend: "pglite", close: async () => { await dataSource.destroy(); await directory.remove(); } };
  } catch (error) {
    await directory.remove();
    throw error;
  }
}
