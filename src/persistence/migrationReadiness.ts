// Readiness of a service's database: reachable, with every migration of its code applied (a
// replica started with newer code on an older database is not ready until it is migrated).
import type { DataSource } from "typeorm";
import type { ReadinessCheck } from "../core/readinessCheck.ts";

export function databaseMigrated(dataSource: DataSource): ReadinessCheck {
  return {
    name: "database",
    check: async () => {
      if (!dataSource.isInitialized) return "the database is closed";
      try {
        return (await dataSource.showMigrations()) ? "migrations are pending" : undefined;
      } catch (error) {
        return `the database does not answer: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}
