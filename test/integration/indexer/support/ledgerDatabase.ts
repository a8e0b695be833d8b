// Opens a migrated database holding the indexer and ledger tables on one of the test backends,
// and dumps every table the indexer writes so two databases can be compared row for row.
import type { DataSource } from "typeorm";
import { silentLogger } from "../../../../src/core/logger.ts";
import { indexerEntities, indexerMigrations, openDataSource, type OpenDataSourceOptions } from "../../../../src/persistence/index.ts";
import { ledgerEntities, ledgerMigrations } from "../../../../src/persistence/ledger/index.ts";
import type { DatabaseTarget } from "../../../unit/persistence/databaseBackends.ts";

/** `alongside`: the tables of another module the test also needs, such as the order book's. */
export function openLedgerDatabase(
  target: DatabaseTarget,
  alongside: Pick<OpenDataSourceOptions, "entities" | "migrations"> = { entities: [], migrations: [] },
): Promise<DataSource> {
  return openDataSource({
    ...target,
    entities: [...indexerEntities, ...ledgerEntities, ...alongside.entities],
    migrations: [...indexerMigrations, ...ledgerMigrations, ...alongside.migrations],
    logger: silentLogger(),
  });
}

export const LEDGER_TABLES = [
  "ledger_category",
  "ledger_asset",
  "ledger_asset_event",
  "ledger_deal",
  "ledger_task",
  "ledger_payment",
  "ledger_escrow_account",
  "ledger_order_event",
  "ledger_order_state",
  "ledger_reputation",
] as const;

/** Every row of the ledger tables and of chain_event, without generated ids, in a stable order. */
export async function dumpLedger(db: DataSource): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of [...LEDGER_TABLES, "chain_event"]) {
    const rows: { row: string }[] = await db.query(`SELECT (to_jsonb(t) - 'id')::text AS row FROM ${table} t`);
    dump[table] = rows.map(({ row }) => row).sort();
  }
  return dump;
}

/** How many rows each ledger table holds. */
export async function countRows(db: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of LEDGER_TABLES) {
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM ${table}`);
    counts[table] = count;
  }
  return counts;
}
