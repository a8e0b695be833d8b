// Says where a service keeps its tables: a schema named after the service on the PostgreSQL
// server when `database.url` is set, otherwise its own PGlite directory under the data dir.
import { join } from "node:path";
import { ConfigError } from "./ConfigError.ts";
import type { Config } from "./configSchema.ts";

export type DatabaseTarget = { url: string; schema: string } | { pgliteDir: string };

/** `service` is a lowercase identifier such as `market`, `sms` or `scheduler`. */
export function databaseTarget(config: Config, service: string): DatabaseTarget {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(service)) {
    throw new ConfigError([
      { key: "database", source: `service "${service}"`, reason: "service name must be a lowercase identifier" },
    ]);
  }
  const { url } = config.database;
  return url ? { url, schema: service } : { pgliteDir: join(config.dataDir, "db", service) };
}
