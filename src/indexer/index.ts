// The chain indexer: follows protocol events into the ledger tables, block range by block range,
// with reorg rewinds; and the pure projection of events into ledger rows.
export { ChainIndexer, type AppliedEvent, type ChainIndexerOptions, type IndexerLag, type SyncResult } from "./ChainIndexer.ts";
export { indexerNearHead } from "./indexerReadiness.ts";
export { IndexerError, type IndexerErrorCode } from "./IndexerError.ts";
export { dealsToLoad, projectEvents } from "./projectEvents.ts";
export { claimMovements, dealLockMovements, resultMovements, type Movement } from "./escrowMovements.ts";
