// Records the block of each deal's DealCreated log, which workers pass to the SMS so it reads that
// block only. Deals taken in before this migration get theirs from the scheduler's own ledger.
import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddDealBlock1795400000002 implements MigrationInterface {
  name = "AddDealBlock1795400000002";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE scheduler_deal ADD COLUMN deal_block bigint NOT NULL DEFAULT 0 CHECK (deal_block >= 0)");
    await queryRunner.query(
      "UPDATE scheduler_deal d SET deal_block = l.block_number FROM ledger_deal l WHERE l.deal_id = d.deal_id",
    );
    await queryRunner.query("ALTER TABLE scheduler_deal ALTER COLUMN deal_block DROP DEFAULT");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE scheduler_deal DROP COLUMN deal_block");
  }
}
