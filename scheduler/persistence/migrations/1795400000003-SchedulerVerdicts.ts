// Keeps the SMS's verdicts with each task: the EnclaveAttested signature a TEE result is pushed
// with, and the TaskFailure verdict a failure settles on. Two states follow a failure the SMS
// blamed on another party: failing (to be reported on-chain) and failure_pushed (sent).
import type { MigrationInterface, QueryRunner } from "typeorm";

const STATES = ["waiting", "assigned", "running", "result_uploaded", "pushed", "completed", "failed", "claimed"];
const stateCheck = (states: string[]) => `CHECK (state IN (${states.map((state) => `'${state}'`).join(",")}))`;

export class SchedulerVerdicts1795400000003 implements MigrationInterface {
  name = "SchedulerVerdicts1795400000003";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE scheduler_task ADD COLUMN sms_attestation text CHECK (sms_attestation ~ '^0x([0-9a-f]{2})*$')");
    await queryRunner.query("ALTER TABLE scheduler_task ADD COLUMN failure_verdict jsonb");
    await queryRunner.query("ALTER TABLE scheduler_task DROP CONSTRAINT scheduler_task_state_check");
    await queryRunner.query(
      `ALTER TABLE scheduler_task ADD CONSTRAINT scheduler_task_state_check ${stateCheck([...STATES, "failing", "failure_pushed"])}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("UPDATE scheduler_task SET state = 'failed' WHERE state IN ('failing', 'failure_pushed')");
    await queryRunner.query("ALTER TABLE scheduler_task DROP CONSTRAINT scheduler_task_state_check");
    await queryRunner.query(`ALTER TABLE scheduler_task ADD CONSTRAINT scheduler_task_state_check ${stateCheck(STATES)}`);
    await queryRunner.query("ALTER TABLE scheduler_task DROP COLUMN failure_verdict");
    await queryRunner.query("ALTER TABLE scheduler_task DROP COLUMN sms_attestation");
  }
}
