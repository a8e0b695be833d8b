// TypeORM mappings of the SMS tables (created by the CreateSmsTables migration): secrets sealed
// under envelope encryption, and the audit log of every decision the SMS takes.
import { EntitySchema } from "typeorm";
import { int8Transformer, uint256Transformer } from "../../src/persistence/columnTransformers.ts";
import type { SecretReference } from "../../src/wire/smsApi/secretKinds.ts";

export type SecretRow = {
  id: number;
  kind: number;
  asset: bigint;
  requester: string;
  name: string;
  version: number;
  masterKeyId: string;
  wrappedKey: Buffer;
  ciphertext: Buffer;
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
};

export type AuditAction = "session" | "push" | "pipeline";
export type AuditOutcome = "released" | "refused" | "stored";

export type AuditRow = {
  id: number;
  at: Date;
  action: AuditAction;
  outcome: AuditOutcome;
  reason: string | null;
  detail: string;
  /** The worker asking for a session, or the signer of a push. */
  actor: string | null;
  dealId: string | null;
  taskIndex: bigint | null;
  taskId: string | null;
  enclave: string | null;
  measurement: string | null;
  app: bigint | null;
  dataset: bigint | null;
  requester: string | null;
  /** The secrets concerned: released by a session, or stored (or refused) by a push. Never values. */
  secrets: SecretReference[];
};

const ADDRESS = { type: "varchar", length: 42 } as const;
const HASH = { type: "varchar", length: 66 } as const;
const UINT256 = { type: "numeric", precision: 78, scale: 0, transformer: uint256Transformer } as const;

export const SecretEntity = new EntitySchema<SecretRow>({
  name: "SmsSecret",
  tableName: "sms_secret",
  columns: {
    id: { type: "bigint", primary: true, generated: "increment", transformer: int8Transformer },
    kind: { type: "smallint" },
    asset: UINT256,
    requester: ADDRESS,
    name: { type: "varchar", length: 64 },
    version: { type: "bigint", transformer: int8Transformer },
    masterKeyId: { name: "master_key_id", type: "varchar", length: 16 },
    wrappedKey: { name: "wrapped_key", type: "bytea" },
    ciphertext: { type: "bytea" },
    updatedBy: { name: "updated_by", ...ADDRESS },
    createdAt: { name: "created_at", type: "timestamptz", default: () => "now()" },
    updatedAt: { name: "updated_at", type: "timestamptz", default: () => "now()" },
  },
  uniques: [{ name: "sms_secret_identity", columns: ["kind", "asset", "requester", "name"] }],
});

export const AuditEntity = new EntitySchema<AuditRow>({
  name: "SmsAudit",
  tableName: "sms_audit",
  columns: {
    id: { type: "bigint", primary: true, generated: "increment", transformer: int8Transformer },
    at: { type: "timestamptz", default: () => "now()" },
    action: { type: "varchar", length: 16 },
    outcome: { type: "varchar", length: 16 },
    reason: { type: "varchar", length: 64, nullable: true },
    detail: { type: "varchar", length: 500 },
    actor: { ...ADDRESS, nullable: true },
    dealId: { name: "deal_id", ...HASH, nullable: true },
    taskIndex: { name: "task_index", ...UINT256, nullable: true },
    taskId: { name: "task_id", ...HASH, nullable: true },
    enclave: { ...ADDRESS, nullable: true },
    measurement: { ...HASH, nullable: true },
    app: { ...UINT256, nullable: true },
    dataset: { ...UINT256, nullable: true },
    requester: { ...ADDRESS, nullable: true },
    secrets: { type: "jsonb" },
  },
});

export const smsEntities = [SecretEntity, AuditEntity];
