// Creates the indexer's tables. Events are unique per (tx_hash, log_index): re-reading a block
// range inserts nothing twice, and a reorg is handled by deleting from the fork block first.
import type { MigrationInterface, QueryRunner } from "typeorm";

const HASH_CHECK = (column: string) => `CHECK (${column} ~ '^0x[0-9a-f]{64}$')`;

export class CreateIndexerTables1795385018876 implements MigrationInterface {
  name = "CreateIndexerTables1795385018876";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE indexer_cursor (
        name varchar(64) PRIMARY KEY,
        last_block bigint NOT NULL CHECK (last_block >= 0),
        last_block_hash varchar(66) NOT NULL ${HASH_CHECK("last_block_hash")},
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE indexed_block (
        number bigint PRIMARY KEY CHECK (number >= 0),
        hash varchar(66) NOT NULL ${HASH_CHECK("hash")},
        parent_hash varchar(66) NOT NULL ${HASH_CHECK("parent_hash")}
      )`);
    await queryRunner.query(`
      CREATE TABLE chain_event (
        id bigserial PRIMARY KEY,
        block_number bigint NOT NULL CHECK (block_number >= 0),
        block_hash varchar(66) NOT NULL ${HASH_CHECK("block_hash")},
        tx_hash varchar(66) NOT NULL ${HASH_CHECK("tx_hash")},
        log_index integer NOT NULL CHECK (log_index >= 0),
        event_name varchar(128) NOT NULL,
        contract varchar(42) NOT NULL CHECK (contract ~ '^0x[0-9a-f]{40}$'),
        args jsonb NOT NULL,
        CONSTRAINT chain_event_tx_log_unique UNIQUE (tx_hash, log_index)
      )`);
    await queryRunner.query(`CREATE INDEX chain_event_block_number_idx ON chain_event (block_number)`);
    await queryRunner.query(`CREATE INDEX chain_event_name_id_idx ON chain_event (event_name, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE chain_event`);
    await queryRunner.query(`DROP TABLE indexed_block`);
    await queryRunner.query(`DROP TABLE indexer_cursor`);
  }
}
