// Tasks settled by `failTask` (TaskFailed): a "failed" task status with the cause the SMS named and
// the attempt it refused, and a per-deal count of failed tasks. A ledger built before TaskFailed was
// projected skipped those events (and their escrow movements), so one that stored any is emptied
// here and rebuilt by the indexer from the deployment block.
import type { MigrationInterface, QueryRunner } from "typeorm";

const LEDGER_TABLES = [
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

export class AddTaskFailures1795390000001 implements MigrationInterface {
  name = "AddTaskFailures1795390000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ledger_task DROP CONSTRAINT ledger_task_status_check`);
    await queryRunner.query(`
      ALTER TABLE ledger_task
        ADD CONSTRAINT ledger_task_status_check CHECK (status IN ('completed', 'failed', 'claimed')),
        ADD COLUMN failure_cause smallint NULL CHECK (failure_cause BETWEEN 1 AND 3),
        ADD COLUMN failure_attempt bigint NULL CHECK (failure_attempt BETWEEN 1 AND 4294967295),
        ADD CONSTRAINT ledger_task_failure_check
          CHECK ((status = 'failed') = (failure_cause IS NOT NULL AND failure_attempt IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE ledger_deal ADD COLUMN tasks_failed numeric(78,0) NOT NULL DEFAULT 0`);

    const [{ skipped }] = await queryRunner.query(`SELECT EXISTS (SELECT 1 FROM chain_event WHERE event_name = 'TaskFailed') AS skipped`);
    if (!skipped) return;
    for (const table of LEDGER_TABLES) await queryRunner.query(`DELETE FROM ${table}`);
    await queryRunner.query(`DELETE FROM chain_event`);
    await queryRunner.query(`DELETE FROM indexed_block`);
    await queryRunner.query(`DELETE FROM indexer_cursor WHERE name = 'ledger'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM ledger_task WHERE status = 'failed'`);
    await queryRunner.query(`ALTER TABLE ledger_deal DROP COLUMN tasks_failed`);
    await queryRunner.query(`ALTER TABLE ledger_task DROP CONSTRAINT ledger_task_failure_check`);
    await queryRunner.query(`ALTER TABLE ledger_task DROP COLUMN failure_attempt, DROP COLUMN failure_cause`);
    await queryRunner.query(`ALTER TABLE ledger_task DROP CONSTRAINT ledger_task_status_check`);
    await queryRunner.query(`ALTER TABLE ledger_task ADD CONSTRAINT ledger_task_status_check CHECK (status IN ('completed', 'claimed'))`);
  }
}
