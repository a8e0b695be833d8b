// The ledger's persistence: projections of protocol events (deals, tasks, payments, escrow,
// orders, assets, categories, reputation), the migration creating them, the writer the indexer
// uses and the queries auditors and requesters use.
import { CreateLedgerTables1795390000000 } from "./migrations/1795390000000-CreateLedgerTables.ts";
import { AddTaskFailures1795390000001 } from "./migrations/1795390000001-AddTaskFailures.ts";

export * from "./ledgerEntities.ts";
export * from "./ledgerRows.ts";
export * from "./ledgerRecords.ts";
export { LedgerWriter } from "./LedgerWriter.ts";
export {
  Ledger,
  LEDGER_CURSOR_NAME,
  MAX_REQUEST_DEALS,
  MAX_REQUEST_TASKS,
  type ActivityFilter,
  type DealFilter,
  type EventCursor,
  type LedgerPage,
  type PaymentCursor,
  type PaymentFilter,
  type SortOrder,
  type TaskFilter,
} from "./Ledger.ts";
export { AddTaskFailures1795390000001, CreateLedgerTables1795390000000 };

/** Every migration of the ledger tables, oldest first (run after the indexer's migrations). */
export const ledgerMigrations = [CreateLedgerTables1795390000000, AddTaskFailures1795390000001];
