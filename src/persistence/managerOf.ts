// Repositories accept either the DataSource or a transaction's EntityManager; this picks the
// manager to run on, so the same repository code works inside and outside a transaction.
import { DataSource, type EntityManager } from "typeorm";

/** A DataSource, or the EntityManager handed to a `dataSource.transaction(...)` callback. */
export type Database = DataSource | EntityManager;

export function managerOf(db: Database): EntityManager {
  return db instanceof DataSource ? db.manager : db;
}
