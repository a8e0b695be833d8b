// Routes TypeORM's log calls into the service's pino logger. Query parameters are never logged
// (they may carry sealed secrets); failed queries go to debug because callers decide severity.
import type { Logger as TypeormLogger } from "typeorm";
import type { Logger } from "../core/logger.ts";

export function typeormLogger(logger: Logger): TypeormLogger {
  return {
    logQuery(query) {
      if (logger.isLevelEnabled("trace")) logger.trace({ query }, "sql query");
    },
    logQueryError(error, query) {
      logger.debug({ query, error: error instanceof Error ? error.message : error }, "sql query failed");
    },
    logQuerySlow(durationMs, query) {
      logger.warn({ query, durationMs }, "slow sql query");
    },
    logSchemaBuild(message) {
      logger.debug({ message }, "schema build");
    },
    logMigration(message) {
      logger.info({ message }, "migration");
    },
    log(level, message) {
      if (level === "warn") logger.warn({ message }, "typeorm warning");
      else logger.debug({ message }, "typeorm");
    },
  };
}
