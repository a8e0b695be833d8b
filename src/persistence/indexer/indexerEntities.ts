// TypeORM mappings of the indexer's tables (created by the CreateIndexerTables migration): the
// cursor of each indexer, the recent blocks kept for reorg detection, and the raw event log.
import { EntitySchema } from "typeorm";
import { int8Transformer } from "../columnTransformers.ts";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type IndexerCursor = {
  name: string;
  /** The last block whose events are fully stored. */
  lastBlock: number;
  lastBlockHash: string;
  updatedAt: Date;
};

export type IndexedBlock = { number: number; hash: string; parentHash: string };

export type ChainEvent = {
  /** Insertion order; equals chain order because the indexer appends blocks in order and rewinds by deleting. */
  id: number;
  blockNumber: number;
  blockHash: string;
  txHash: string;
  logIndex: number;
  eventName: string;
  contract: string;
  /** Decoded event arguments; uint256 and other bigint values are decimal strings. */
  args: { [key: string]: JsonValue };
};

const HASH = { type: "varchar", length: 66 } as const;

export const IndexerCursorEntity = new EntitySchema<IndexerCursor>({
  name: "IndexerCursor",
  tableName: "indexer_cursor",
  columns: {
    name: { type: "varchar", length: 64, primary: true },
    lastBlock: { name: "last_block", type: "bigint", transformer: int8Transformer },
    lastBlockHash: { name: "last_block_hash", ...HASH },
    updatedAt: { name: "updated_at", type: "timestamptz", default: () => "now()" },
  },
});

export const IndexedBlockEntity = new EntitySchema<IndexedBlock>({
  name: "IndexedBlock",
  tableName: "indexed_block",
  columns: {
    number: { type: "bigint", primary: true, transformer: int8Transformer },
    hash: HASH,
    parentHash: { name: "parent_hash", ...HASH },
  },
});

export const ChainEventEntity = new EntitySchema<ChainEvent>({
  name: "ChainEvent",
  tableName: "chain_event",
  columns: {
    id: { type: "bigint", primary: true, generated: "increment", transformer: int8Transformer },
    blockNumber: { name: "block_number", type: "bigint", transformer: int8Transformer },
    blockHash: { name: "block_hash", ...HASH },
    txHash: { name: "tx_hash", ...HASH },
    logIndex: { name: "log_index", type: "integer" },
    eventName: { name: "event_name", type: "varchar", length: 128 },
    contract: { type: "varchar", length: 42 },
    args: { type: "jsonb" },
  },
  uniques: [{ name: "chain_event_tx_log_unique", columns: ["txHash", "logIndex"] }],
  indices: [
    { name: "chain_event_block_number_idx", columns: ["blockNumber"] },
    { name: "chain_event_name_id_idx", columns: ["eventName", "id"] },
  ],
});

export const indexerEntities = [IndexerCursorEntity, IndexedBlockEntity, ChainEventEntity];
