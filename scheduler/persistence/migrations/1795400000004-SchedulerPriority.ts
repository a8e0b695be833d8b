// Queues by priority class and shares workers between requesters: each deal keeps the class the
// scheduler honours for it (0 urgent, 1 normal, 2 batch) and its requester. Deals taken in before
// this migration are normal, with the requester read from their stored Deal struct.
import type { MigrationInterface, QueryRunner } from "typeorm";

export class SchedulerPriority1795400000004 implements MigrationInterface {
  name = "SchedulerPriority1795400000004";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE scheduler_deal ADD COLUMN priority smallint NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 2)");
    await queryRunner.query("ALTER TABLE scheduler_deal ADD COLUMN requester varchar(42) CHECK (requester ~ '^0x[0-9a-f]{40}$')");
    await queryRunner.query(
      "UPDATE scheduler_deal SET requester = lower(deal->>'requester') WHERE deal->>'requester' ~* '^0x[0-9a-f]{40}$'",
    );
    await queryRunner.query("CREATE INDEX scheduler_deal_requester_idx ON scheduler_deal (requester)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX scheduler_deal_requester_idx");
    await queryRunner.query("ALTER TABLE scheduler_deal DROP COLUMN requester");
    await queryRunner.query("ALTER TABLE scheduler_deal DROP COLUMN priority");
  }
}
