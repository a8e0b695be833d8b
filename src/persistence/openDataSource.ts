// Opens the TypeORM DataSource of a service: PGlite on disk by default, a PostgreSQL server when a
// URL is given, both through the `pg` driver; pending migrations run on open, never synchronize.
import { createPgConfig } from "@electric-sql/pglite/node-postgres";
import { DataSource, type DataSourceOptions, type EntitySchema, type MigrationInterface } from "typeorm";
import type { Logger } from "../core/logger.ts";
import { openPglite } from "./openPglite.ts";
import { PersistenceError } from "./PersistenceError.ts";
import { runMigrations } from "./runMigrations.ts";
import { typeormLogger } from "./typeormLogger.ts";
import { withServerConnection } from "./withServerConnection.ts";

export type MigrationClass = new () => MigrationInterface;

export type OpenDataSourceOptions = {
  /** A PostgreSQL server (`postgres://…`); when absent, `pgliteDir` is used. */
  url?: string;
  /** The PGlite data directory, created if missing. */
  pgliteDir?: string;
  /** The schema holding the tables, created if missing and set as the search_path. Default `public`. */
  schema?: string;
  entities: readonly EntitySchema[];
  migrations: readonly MigrationClass[];
  logger: Logger;
};

const CONNECT_TIMEOUT_MS = 10_000;
const SLOW_QUERY_MS = 1_000;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A DataSource whose destroy() also releases what was opened for it (the PGlite engine), and is
 * safe to call after a failed initialize().
 */
class OwnedDataSource extends DataSource {
  readonly #release: () => Promise<void>;

  constructor(options: DataSourceOptions, release: () => Promise<void>) {
    super(options);
    this.#release = release;
  }

  override async destroy(): Promise<void> {
    try {
      if (this.isInitialized) await super.destroy();
    } finally {
      await this.#release();
    }
  }
}

/**
 * Returns an initialized DataSource with every migration applied. Close it with `destroy()`.
 * Throws PersistenceError: INVALID_DATABASE_OPTIONS, DATABASE_UNAVAILABLE, DATABASE_IN_USE or
 * MIGRATION_FAILED; nothing is left open when it throws.
 */
export async function openDataSource(options: OpenDataSourceOptions): Promise<DataSource> {
  const schema = validateOptions(options);
  const logger = options.logger.child({ component: "database" });
  const dataSource = options.url
    ? await serverDataSource(options.url, schema, options, logger)
    : await embeddedDataSource(options.pgliteDir!, schema, options, logger);
  try {
    await dataSource.initialize();
  } catch (error) {
    await dataSource.destroy();
    const message = `cannot open the database: ${messageOf(error)}`;
    throw new PersistenceError("DATABASE_UNAVAILABLE", message, { schema }, { cause: error });
  }
  try {
    const applied = await runMigrations(dataSource);
    logger.info({ schema, applied }, "database ready");
  } catch (error) {
    await dataSource.destroy();
    const message = `database migration failed: ${messageOf(error)}`;
    throw new PersistenceError("MIGRATION_FAILED", message, { schema }, { cause: error });
  }
  return dataSource;
}

function validateOptions(options: OpenDataSourceOptions): string {
  const schema = options.schema ?? "public";
  const refuse = (problem: string) => new PersistenceError("INVALID_DATABASE_OPTIONS", problem);
  if (options.url && options.pgliteDir) throw refuse("give either url or pgliteDir, not both");
  if (!options.url && !options.pgliteDir) throw refuse("give url or pgliteDir");
  if (!SCHEMA_NAME.test(schema)) throw refuse(`schema "${schema}" must be a lowercase identifier`);
  return schema;
}

function commonOptions(options: OpenDataSourceOptions, schema: string, logger: Logger) {
  return {
    type: "postgres" as const,
    schema,
    entities: [...options.entities],
    migrations: [...options.migrations],
    migrationsRun: false,
    synchronize: false,
    logger: typeormLogger(logger),
    maxQueryExecutionTime: SLOW_QUERY_MS,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
  };
}

async function serverDataSource(url: string, schema: string, options: OpenDataSourceOptions, logger: Logger) {
  const where = describeServer(url);
  try {
    await withServerConnection(url, CONNECT_TIMEOUT_MS, (client) =>
      client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`),
    );
  } catch (error) {
    const message = `cannot prepare schema "${schema}" on ${where}: ${messageOf(error)}`;
    throw new PersistenceError("DATABASE_UNAVAILABLE", message, { server: where, schema }, { cause: error });
  }
  logger.info({ backend: "postgres", server: where, schema }, "opening database");
  return new OwnedDataSource(
    {
      ...commonOptions(options, schema, logger),
      url,
      applicationName: "continuum",
      extra: { options: `-c search_path=${schema}` },
    },
    async () => {},
  );
}

async function embeddedDataSource(directory: string, schema: string, options: OpenDataSourceOptions, logger: Logger) {
  const engine = await openPglite(directory);
  try {
    // PGlite is a single session, so this search_path holds for every query of the DataSource.
    await engine.pglite.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}"`);
  } catch (error) {
    await engine.close();
    const message = `cannot prepare schema "${schema}" in ${engine.directory}: ${messageOf(error)}`;
    throw new PersistenceError("DATABASE_UNAVAILABLE", message, { directory: engine.directory }, { cause: error });
  }
  logger.info({ backend: "pglite", directory: engine.directory, schema }, "opening database");
  // pg's own Pool and Client speak to PGlite through its protocol adapter: one connection, kept open.
  const { connection } = createPgConfig(engine.pglite);
  return new OwnedDataSource(
    { ...commonOptions(options, schema, logger), poolSize: 1, extra: { connection, idleTimeoutMillis: 0 } },
    engine.close,
  );
}

/** host:port/database, without credentials, for logs and errors. */
function describeServer(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return "(unparsable url)";
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
