// Creates the ledger: projections of protocol events that auditors and requesters query. Row
// tables hold one fact per log (deleted from the fork block on a reorg); aggregate tables
// (escrow accounts, order states, reputation) are kept in step and recomputed after a rewind.
import type { MigrationInterface, QueryRunner } from "typeorm";

const UINT = "numeric(78,0)";
const HASH = (column: string, nullable = false) =>
  `${column} varchar(66) ${nullable ? "NULL" : "NOT NULL"} CHECK (${column} ~ '^0x[0-9a-f]{64}$')`;
const ADDRESS = (column: string, nullable = false) =>
  `${column} varchar(42) ${nullable ? "NULL" : "NOT NULL"} CHECK (${column} ~ '^0x[0-9a-fA-F]{40}$')`;
const POSITION = `
  block_number bigint NOT NULL CHECK (block_number >= 0),
  block_time timestamptz NOT NULL,
  ${HASH("tx_hash")},
  log_index integer NOT NULL CHECK (log_index >= 0)`;
const LAST_CHANGE = `
  block_number bigint NOT NULL CHECK (block_number >= 0),
  block_time timestamptz NOT NULL,
  ${HASH("tx_hash")}`;

const TABLES = [
  `CREATE TABLE ledger_category (
    category ${UINT} PRIMARY KEY,
    name text NOT NULL,
    description text NOT NULL,
    max_run_time ${UINT} NOT NULL,
    ${POSITION}
  )`,
  `CREATE TABLE ledger_asset (
    kind varchar(16) NOT NULL CHECK (kind IN ('app', 'dataset', 'workerpool')),
    asset_id ${UINT} NOT NULL,
    ${ADDRESS("owner")},
    name text NULL,
    content_cid text NULL,
    ${HASH("checksum", true)},
    ${HASH("measurement", true)},
    description text NULL,
    ${POSITION},
    PRIMARY KEY (kind, asset_id)
  )`,
  `CREATE TABLE ledger_asset_event (
    kind varchar(16) NOT NULL CHECK (kind IN ('app', 'dataset', 'workerpool')),
    asset_id ${UINT} NOT NULL,
    change varchar(16) NOT NULL CHECK (change IN ('transfer', 'description')),
    ${ADDRESS("from_address", true)},
    ${ADDRESS("to_address", true)},
    description text NULL,
    ${POSITION},
    PRIMARY KEY (tx_hash, log_index)
  )`,
  `CREATE TABLE ledger_deal (
    ${HASH("deal_id")} PRIMARY KEY,
    app ${UINT} NOT NULL,
    dataset ${UINT} NOT NULL,
    workerpool ${UINT} NOT NULL,
    ${ADDRESS("app_owner")},
    ${ADDRESS("dataset_owner")},
    ${ADDRESS("workerpool_owner")},
    app_price ${UINT} NOT NULL,
    dataset_price ${UINT} NOT NULL,
    workerpool_price ${UINT} NOT NULL,
    ${ADDRESS("requester")},
    ${ADDRESS("beneficiary")},
    category ${UINT} NOT NULL,
    ${HASH("tag")},
    volume ${UINT} NOT NULL,
    stake_per_task ${UINT} NOT NULL,
    start_time ${UINT} NOT NULL,
    deadline ${UINT} NOT NULL,
    ${HASH("result_public_key")},
    ${HASH("params_hash")},
    ${HASH("request_hash")},
    request_offset ${UINT} NOT NULL,
    ${HASH("app_order_hash")},
    ${HASH("dataset_order_hash")},
    ${HASH("workerpool_order_hash")},
    params text NOT NULL,
    tasks_completed ${UINT} NOT NULL DEFAULT 0,
    tasks_claimed ${UINT} NOT NULL DEFAULT 0,
    ${POSITION}
  )`,
  `CREATE TABLE ledger_task (
    deal_id varchar(66) NOT NULL REFERENCES ledger_deal (deal_id) ON DELETE CASCADE,
    task_index ${UINT} NOT NULL,
    ${HASH("task_id")} UNIQUE,
    status varchar(16) NOT NULL CHECK (status IN ('completed', 'claimed')),
    ${ADDRESS("worker", true)},
    ${ADDRESS("enclave", true)},
    ${HASH("result_digest", true)},
    result_cid text NULL,
    ${POSITION},
    PRIMARY KEY (deal_id, task_index)
  )`,
  `CREATE TABLE ledger_payment (
    id bigserial PRIMARY KEY,
    kind varchar(24) NOT NULL CHECK (kind IN ('deposit', 'withdraw', 'lock', 'stake_lock', 'payout_app',
      'payout_dataset', 'payout_workerpool', 'stake_release', 'refund', 'slash')),
    ${ADDRESS("from_address", true)},
    ${ADDRESS("to_address", true)},
    amount ${UINT} NOT NULL CHECK (amount > 0),
    deal_id varchar(66) NULL REFERENCES ledger_deal (deal_id) ON DELETE CASCADE,
    task_index ${UINT} NULL,
    seq smallint NOT NULL CHECK (seq >= 0),
    ${POSITION},
    CONSTRAINT ledger_payment_log_seq_unique UNIQUE (tx_hash, log_index, seq)
  )`,
  `CREATE TABLE ledger_escrow_account (
    ${ADDRESS("address")} PRIMARY KEY,
    balance ${UINT} NOT NULL CHECK (balance >= 0),
    locked ${UINT} NOT NULL CHECK (locked >= 0),
    ${LAST_CHANGE}
  )`,
  `CREATE TABLE ledger_order_event (
    ${HASH("order_hash")},
    kind smallint NOT NULL CHECK (kind BETWEEN 0 AND 3),
    action varchar(16) NOT NULL CHECK (action IN ('approved', 'cancelled')),
    ${ADDRESS("signer")},
    ${POSITION},
    PRIMARY KEY (tx_hash, log_index)
  )`,
  `CREATE TABLE ledger_order_state (
    ${HASH("order_hash")} PRIMARY KEY,
    kind smallint NOT NULL CHECK (kind BETWEEN 0 AND 3),
    consumed ${UINT} NOT NULL CHECK (consumed >= 0),
    cancelled boolean NOT NULL,
    ${ADDRESS("approved_by", true)},
    ${LAST_CHANGE}
  )`,
  `CREATE TABLE ledger_reputation (
    workerpool ${UINT} PRIMARY KEY,
    completed ${UINT} NOT NULL,
    failed ${UINT} NOT NULL,
    score ${UINT} NOT NULL,
    ${LAST_CHANGE}
  )`,
];

const INDEXES = [
  "CREATE INDEX ledger_asset_owner_idx ON ledger_asset (owner)",
  "CREATE INDEX ledger_asset_event_asset_idx ON ledger_asset_event (kind, asset_id, block_number, log_index)",
  "CREATE INDEX ledger_deal_position_idx ON ledger_deal (block_number, log_index)",
  "CREATE INDEX ledger_deal_time_idx ON ledger_deal (block_time)",
  "CREATE INDEX ledger_deal_requester_idx ON ledger_deal (requester)",
  "CREATE INDEX ledger_deal_beneficiary_idx ON ledger_deal (beneficiary)",
  "CREATE INDEX ledger_deal_app_owner_idx ON ledger_deal (app_owner)",
  "CREATE INDEX ledger_deal_dataset_owner_idx ON ledger_deal (dataset_owner)",
  "CREATE INDEX ledger_deal_workerpool_owner_idx ON ledger_deal (workerpool_owner)",
  "CREATE INDEX ledger_deal_app_idx ON ledger_deal (app)",
  "CREATE INDEX ledger_deal_dataset_idx ON ledger_deal (dataset)",
  "CREATE INDEX ledger_deal_workerpool_idx ON ledger_deal (workerpool)",
  "CREATE INDEX ledger_deal_request_idx ON ledger_deal (request_hash, request_offset)",
  "CREATE INDEX ledger_deal_app_order_idx ON ledger_deal (app_order_hash)",
  "CREATE INDEX ledger_deal_dataset_order_idx ON ledger_deal (dataset_order_hash)",
  "CREATE INDEX ledger_deal_workerpool_order_idx ON ledger_deal (workerpool_order_hash)",
  "CREATE INDEX ledger_task_position_idx ON ledger_task (block_number, log_index)",
  "CREATE INDEX ledger_task_time_idx ON ledger_task (block_time)",
  "CREATE INDEX ledger_task_worker_idx ON ledger_task (worker)",
  "CREATE INDEX ledger_payment_position_idx ON ledger_payment (block_number, log_index, seq)",
  "CREATE INDEX ledger_payment_time_idx ON ledger_payment (block_time)",
  "CREATE INDEX ledger_payment_from_idx ON ledger_payment (from_address)",
  "CREATE INDEX ledger_payment_to_idx ON ledger_payment (to_address)",
  "CREATE INDEX ledger_payment_deal_idx ON ledger_payment (deal_id)",
  "CREATE INDEX ledger_order_event_hash_idx ON ledger_order_event (order_hash)",
  "CREATE INDEX ledger_category_position_idx ON ledger_category (block_number)",
];

const DROP_ORDER = [
  "ledger_reputation",
  "ledger_order_state",
  "ledger_order_event",
  "ledger_escrow_account",
  "ledger_payment",
  "ledger_task",
  "ledger_deal",
  "ledger_asset_event",
  "ledger_asset",
  "ledger_category",
];

export class CreateLedgerTables1795390000000 implements MigrationInterface {
  name = "CreateLedgerTables1795390000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [...TABLES, ...INDEXES]) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of DROP_ORDER) await queryRunner.query(`DROP TABLE ${table}`);
  }
}
