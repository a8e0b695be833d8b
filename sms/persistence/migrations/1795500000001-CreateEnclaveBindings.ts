// Creates the table of enclave bindings: which enclave holds each attempt of a task. The SMS
// releases a task's secrets to at most one enclave per attempt (see EnclaveBindingRepository).
import type { MigrationInterface, QueryRunner } from "typeorm";

export class CreateEnclaveBindings1795500000001 implements MigrationInterface {
  name = "CreateEnclaveBindings1795500000001";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sms_enclave_binding (
        task_id varchar(66) NOT NULL CHECK (task_id ~ '^0x[0-9a-f]{64}$'),
        attempt integer NOT NULL CHECK (attempt >= 1),
        enclave varchar(42) NOT NULL CHECK (enclave ~ '^0x[0-9a-f]{40}$'),
        bound_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (task_id, attempt)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE sms_enclave_binding");
  }
}
