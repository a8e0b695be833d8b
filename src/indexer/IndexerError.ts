// Typed errors of the chain indexer, with stable codes: bad options, a chain that changed while a
// range was read (retried on the next poll), or events the ledger cannot place.
import { ContinuumError } from "../core/ContinuumError.ts";

export type IndexerErrorCode = "INVALID_INDEXER_OPTIONS" | "CHAIN_CHANGED_DURING_READ" | "UNKNOWN_DEAL";

export class IndexerError extends ContinuumError<IndexerErrorCode> {}
