// Creates the SMS tables. A secret is unique per (kind, asset, requester, name) and holds only
// ciphertext: the value sealed under a per-secret data key, the data key wrapped by the master key.
// The audit log is append-only and indexed by what a secret's owner filters on.
import type { MigrationInterface, QueryRunner } from "typeorm";

const ADDRESS_CHECK = (column: string) => `CHECK (${column} ~ '^0x[0-9a-f]{40}$')`;
const HASH_CHECK = (column: string) => `CHECK (${column} ~ '^0x[0-9a-f]{64}$')`;

export class CreateSmsTables1795500000000 implements MigrationInterface {
  name = "CreateSmsTables1795500000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sms_secret (
        id bigserial PRIMARY KEY,
        kind smallint NOT NULL CHECK (kind IN (0, 1, 2)),
        asset numeric(78,0) NOT NULL CHECK (asset >= 0),
        requester varchar(42) NOT NULL ${ADDRESS_CHECK("requester")},
        name varchar(64) NOT NULL,
        version bigint NOT NULL CHECK (version >= 1),
        master_key_id varchar(16) NOT NULL,
        wrapped_key bytea NOT NULL,
        ciphertext bytea NOT NULL,
        updated_by varchar(42) NOT NULL ${ADDRESS_CHECK("updated_by")},
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sms_secret_identity UNIQUE (kind, asset, requester, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE sms_audit (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        action varchar(16) NOT NULL CHECK (action IN ('session', 'push')),
        outcome varchar(16) NOT NULL CHECK (outcome IN ('released', 'refused', 'stored')),
        reason varchar(64),
        detail varchar(500) NOT NULL,
        actor varchar(42) ${ADDRESS_CHECK("actor")},
        deal_id varchar(66) ${HASH_CHECK("deal_id")},
        task_index numeric(78,0),
        task_id varchar(66) ${HASH_CHECK("task_id")},
        enclave varchar(42) ${ADDRESS_CHECK("enclave")},
        measurement varchar(66) ${HASH_CHECK("measurement")},
        app numeric(78,0),
        dataset numeric(78,0),
        requester varchar(42) ${ADDRESS_CHECK("requester")},
        secrets jsonb NOT NULL DEFAULT '[]',
        CHECK ((outcome = 'refused') = (reason IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX sms_audit_dataset_idx ON sms_audit (dataset, id) WHERE dataset IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX sms_audit_app_idx ON sms_audit (app, id) WHERE app IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX sms_audit_requester_idx ON sms_audit (requester, id) WHERE requester IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sms_audit`);
    await queryRunner.query(`DROP TABLE sms_secret`);
  }
}
