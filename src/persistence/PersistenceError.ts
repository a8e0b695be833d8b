// Typed errors of the persistence layer, with stable codes callers can switch on: the database
// cannot be reached or opened, migrations failed, or stored data contradicts a write.
import { ContinuumError } from "../core/ContinuumError.ts";

export type PersistenceErrorCode =
  | "INVALID_DATABASE_OPTIONS"
  | "DATABASE_UNAVAILABLE"
  | "DATABASE_IN_USE"
  | "MIGRATION_FAILED"
  | "BLOCK_HASH_CONFLICT"
  | "INVALID_PAGE"
  | "VALUE_OUT_OF_RANGE";

export class PersistenceError extends ContinuumError<PersistenceErrorCode> {}
