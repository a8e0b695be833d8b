// Creates the SMS's cache of DCAP collateral (TCB info, QE identity, CRLs per platform), so a
// restarted SMS judges quotes without asking the collateral service again until nextUpdate nears.
import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateCollateralCache1795500000002 implements MigrationInterface {
  name = "CreateCollateralCache1795500000002";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sms_collateral (
        platform_key varchar(128) PRIMARY KEY,
        request jsonb NOT NULL,
        collateral jsonb NOT NULL,
        next_update timestamptz NOT NULL,
        fetched_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE sms_collateral");
  }
}
