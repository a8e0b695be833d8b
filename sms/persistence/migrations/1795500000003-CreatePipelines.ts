// Creates the SMS's pipelines: each registered document with its requester's signature, and one
// intermediate key per stage whose output another stage reads, sealed under the master key; the
// audit log records registrations as the action 'pipeline'.
import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreatePipelines1795500000003 implements MigrationInterface {
  name = "CreatePipelines1795500000003";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sms_pipeline (
        id varchar(66) PRIMARY KEY CHECK (id ~ '^0x[0-9a-f]{64}$'),
        requester varchar(42) NOT NULL CHECK (requester ~ '^0x[0-9a-f]{40}$'),
        document_hash varchar(66) NOT NULL CHECK (document_hash ~ '^0x[0-9a-f]{64}$'),
        salt varchar(66) NOT NULL CHECK (salt ~ '^0x[0-9a-f]{64}$'),
        signature varchar(132) NOT NULL,
        document jsonb NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE sms_pipeline_key (
        pipeline_id varchar(66) NOT NULL REFERENCES sms_pipeline(id),
        stage varchar(32) NOT NULL,
        master_key_id varchar(16) NOT NULL,
        wrapped_key bytea NOT NULL,
        ciphertext bytea NOT NULL,
        PRIMARY KEY (pipeline_id, stage)
      )`);
    await queryRunner.query("ALTER TABLE sms_audit DROP CONSTRAINT sms_audit_action_check");
    await queryRunner.query("ALTER TABLE sms_audit ADD CONSTRAINT sms_audit_action_check CHECK (action IN ('session', 'push', 'pipeline'))");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DELETE FROM sms_audit WHERE action = 'pipeline'");
    await queryRunner.query("ALTER TABLE sms_audit DROP CONSTRAINT sms_audit_action_check");
    await queryRunner.query("ALTER TABLE sms_audit ADD CONSTRAINT sms_audit_action_check CHECK (action IN ('session', 'push'))");
    await queryRunner.query("DROP TABLE sms_pipeline_key");
    await queryRunner.query("DROP TABLE sms_pipeline");
  }
}
