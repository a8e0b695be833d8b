// Creates the market's pipelines: each submitted document with its requester's signature and
// state, and each stage's signed request order, held back until its inputs are ready.
import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreatePipelines1795600000000 implements MigrationInterface {
  name = "CreatePipelines1795600000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE market_pipeline (
        id varchar(66) PRIMARY KEY CHECK (id ~ '^0x[0-9a-f]{64}$'),
        requester varchar(42) NOT NULL CHECK (requester ~ '^0x[0-9a-f]{40}$'),
        name varchar(100) NOT NULL,
        document_hash varchar(66) NOT NULL,
        salt varchar(66) NOT NULL,
        signature varchar(132) NOT NULL,
        document jsonb NOT NULL,
        state varchar(16) NOT NULL CHECK (state IN ('running', 'completed', 'failed')),
        failure jsonb,
        submitted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query("CREATE INDEX market_pipeline_running_idx ON market_pipeline (submitted_at) WHERE state = 'running'");
    await queryRunner.query("CREATE INDEX market_pipeline_requester_idx ON market_pipeline (requester, submitted_at)");
    await queryRunner.query(`
      CREATE TABLE market_pipeline_stage (
        pipeline_id varchar(66) NOT NULL REFERENCES market_pipeline(id),
        stage varchar(32) NOT NULL,
        position integer NOT NULL,
        request_hash varchar(66) NOT NULL UNIQUE CHECK (request_hash ~ '^0x[0-9a-f]{64}$'),
        order_json jsonb NOT NULL,
        signature varchar(132) NOT NULL,
        state varchar(16) NOT NULL CHECK (state IN ('waiting', 'published', 'refused', 'dropped')),
        failure jsonb,
        published_at timestamptz,
        PRIMARY KEY (pipeline_id, stage)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE market_pipeline_stage");
    await queryRunner.query("DROP TABLE market_pipeline");
  }
}
