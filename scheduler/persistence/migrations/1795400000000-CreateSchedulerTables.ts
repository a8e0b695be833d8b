// Creates the scheduler's tables: the deals it serves, one row per task with its state, the
// workers that registered, and every assignment attempt. The state CHECK mirrors the transition
// table's states, so even hand-written SQL cannot store an unknown state.
import type { MigrationInterface, QueryRunner } from "typeorm";

const HASH = (column: string) => `CHECK (${column} ~ '^0x[0-9a-f]{64}$')`;
const ADDRESS = (column: string) => `CHECK (${column} ~ '^0x[0-9a-f]{40}$')`;

export class CreateSchedulerTables1795400000000 implements MigrationInterface {
  name = "CreateSchedulerTables1795400000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scheduler_deal (
        deal_id varchar(66) PRIMARY KEY ${HASH("deal_id")},
        workerpool numeric(78,0) NOT NULL,
        deal jsonb NOT NULL,
        params text NOT NULL,
        app_cid text NOT NULL,
        app_measurement varchar(66) NOT NULL,
        dataset_cid text,
        dataset_checksum varchar(66),
        max_run_time integer NOT NULL CHECK (max_run_time > 0),
        tee boolean NOT NULL,
        deadline bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE scheduler_task (
        task_id varchar(66) PRIMARY KEY ${HASH("task_id")},
        deal_id varchar(66) NOT NULL REFERENCES scheduler_deal (deal_id),
        task_index bigint NOT NULL CHECK (task_index >= 0),
        state varchar(16) NOT NULL CHECK (state IN
          ('waiting','assigned','running','result_uploaded','pushed','completed','failed','claimed')),
        worker varchar(42) ${ADDRESS("worker")},
        enclave varchar(42) ${ADDRESS("enclave")},
        attempt integer NOT NULL DEFAULT 0,
        "authorization" text,
        result_digest varchar(66),
        result_cid text,
        enclave_signature text,
        push_tx varchar(66),
        error_code varchar(64),
        progress text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT scheduler_task_deal_index_unique UNIQUE (deal_id, task_index)
      )`);
    await queryRunner.query(`CREATE INDEX scheduler_task_state_idx ON scheduler_task (state)`);
    await queryRunner.query(`CREATE INDEX scheduler_task_worker_idx ON scheduler_task (worker)`);
    await queryRunner.query(`
      CREATE TABLE scheduler_worker (
        address varchar(42) PRIMARY KEY ${ADDRESS("address")},
        cpu integer NOT NULL CHECK (cpu > 0),
        memory_mb integer NOT NULL CHECK (memory_mb > 0),
        tee boolean NOT NULL,
        gpu integer NOT NULL CHECK (gpu >= 0),
        registered_at timestamptz NOT NULL DEFAULT now(),
        last_heartbeat timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE scheduler_attempt (
        task_id varchar(66) NOT NULL REFERENCES scheduler_task (task_id),
        attempt integer NOT NULL CHECK (attempt > 0),
        worker varchar(42) NOT NULL ${ADDRESS("worker")},
        enclave varchar(42),
        assigned_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        outcome varchar(16) CHECK (outcome IN ('result','failed','lost')),
        error_code varchar(64),
        PRIMARY KEY (task_id, attempt)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scheduler_attempt`);
    await queryRunner.query(`DROP TABLE scheduler_worker`);
    await queryRunner.query(`DROP TABLE scheduler_task`);
    await queryRunner.query(`DROP TABLE scheduler_deal`);
  }
}
