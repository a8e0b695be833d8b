// Creates the table of announced workerpool schedulers: one row per workerpool (a new announcement
// replaces the old), with the outcome of the market's last read of the scheduler's /v1/info.
import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateWorkerpoolSchedulers1796600000000 implements MigrationInterface {
  name = "CreateWorkerpoolSchedulers1796600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE market_workerpool_scheduler (
        workerpool numeric(78,0) PRIMARY KEY CHECK (workerpool >= 0),
        url varchar(2048) NOT NULL,
        announced_by varchar(42) NOT NULL CHECK (announced_by ~ '^0x[0-9a-f]{40}$'),
        announced_at bigint NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('pending', 'reachable', 'unreachable', 'mismatch')),
        checked_at bigint,
        runtimes jsonb,
        problem varchar(500)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE market_workerpool_scheduler`);
  }
}
