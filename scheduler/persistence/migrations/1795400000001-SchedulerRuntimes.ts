// Lets the scheduler match apps to runtimes: each deal keeps its app's bundle checksum (from which,
// with a runtime profile, the app measurement is recomputed) and each worker the runtimes it
// offers. Workers registered before this offered node alone; deals taken in before it have no
// checksum and go to any worker, as they did then.
import type { MigrationInterface, QueryRunner } from "typeorm";

export class SchedulerRuntimes1795400000001 implements MigrationInterface {
  name = "SchedulerRuntimes1795400000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE scheduler_deal ADD COLUMN app_checksum varchar(66) CHECK (app_checksum ~ '^0x[0-9a-f]{64}$')`);
    await queryRunner.query(`ALTER TABLE scheduler_worker ADD COLUMN runtimes jsonb NOT NULL DEFAULT '[{"runtime":"node"}]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE scheduler_worker DROP COLUMN runtimes`);
    await queryRunner.query(`ALTER TABLE scheduler_deal DROP COLUMN app_checksum`);
  }
}
