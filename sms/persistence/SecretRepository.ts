// The only code touching sms_secret: inserting a new secret, replacing one only as the next
// version, and loading the sealed rows a session may release. Values are sealed before they
// arrive here; this repository never sees plaintext.
import type { EntityManager } from "typeorm";
import { Batcher } from "../../src/core/batcher.ts";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";
import type { SealedSecret } from "../secrets/envelopeEncryption.ts";
import { SECRET_KIND_NUMBER, secretKindOfNumber, type SecretIdentity } from "../../src/wire/smsApi/secretKinds.ts";
import { SecretEntity, type SecretRow } from "./smsEntities.ts";

export type StoredSecret = { identity: SecretIdentity; version: number; sealed: SealedSecret; updatedAt: Date };

export type SecretWrite = { identity: SecretIdentity; version: number; sealed: SealedSecret; updatedBy: string };

/** Why a write did not happen: the secret exists (create) or is not at version - 1 (update). */
export type SecretWriteResult =
  | { written: true; secret: StoredSecret }
  | { written: false; reason: "EXISTS" | "NOT_FOUND" | "VERSION_CONFLICT"; currentVersion?: number };

/** What a session may release: the deal's dataset key, the app's secrets, the named requester secrets. */
export type ReleasableQuery = { dataset: bigint; app: bigint; requester: string; requesterNames: readonly string[] };

export class SecretRepository {
  readonly #manager: EntityManager;
  readonly #releasable: Batcher<ReleasableQuery, StoredSecret[]>;

  constructor(db: Database) {
    this.#manager = managerOf(db);
    this.#releasable = new Batcher((queries) => this.#findReleasableBatch(queries));
  }

  /** Stores version 1 of a secret unless one with this identity exists. */
  async create(write: SecretWrite): Promise<SecretWriteResult> {
    const rows: SecretRow[] = await this.#manager
      .createQueryBuilder()
      .insert()
      .into(SecretEntity)
      .values(toRow(write))
      .orIgnore()
      .returning("*")
      .updateEntity(false)
      .execute()
      .then((result) => result.raw);
    if (rows.length === 0) return { written: false, reason: "EXISTS", currentVersion: await this.#versionOf(write.identity) };
    return { written: true, secret: fromRawRow(rows[0]) };
  }

  /** Replaces a secret by `write.version`, only if the stored one is exactly `write.version - 1`. */
  async update(write: SecretWrite): Promise<SecretWriteResult> {
    const result = await this.#manager
      .createQueryBuilder()
      .update(SecretEntity)
      .set({ ...toRow(write), updatedAt: () => "now()" })
      .where(...identityClause(write.identity))
      .andWhere("version = :previous", { previous: write.version - 1 })
      .returning("*")
      .updateEntity(false)
      .execute();
    const rows = result.raw as Record<string, unknown>[];
    if (rows.length > 0) return { written: true, secret: fromRawRow(rows[0]) };
    const currentVersion = await this.#versionOf(write.identity);
    return currentVersion === undefined
      ? { written: false, reason: "NOT_FOUND" }
      : { written: false, reason: "VERSION_CONFLICT", currentVersion };
  }

  /**
   * The sealed rows a session for this deal may release. Sessions asking at the same time share
   * one query (see Batcher): never one that started before they asked, so an update committed
   * before a session asked is always what it gets.
   */
  findReleasable(query: ReleasableQuery): Promise<StoredSecret[]> {
    return this.#releasable.submit(query);
  }

  /**
   * One query for the secrets of several sessions, shared out to each in kind-then-name order.
   * Plain SQL: this runs for every enclave session, and the query builder cost more than the query.
   */
  async #findReleasableBatch(queries: readonly ReleasableQuery[]): Promise<StoredSecret[][]> {
    const distinct = (values: Iterable<string>) => [...new Set(values)];
    const named = queries.filter((query) => query.requesterNames.length > 0);
    const rows: Record<string, unknown>[] = await this.#manager.query(
      `SELECT * FROM sms_secret
        WHERE (kind = $1 AND asset = ANY($2::numeric[]))
           OR (kind = $3 AND asset = ANY($4::numeric[]))
           OR (kind = $5 AND requester = ANY($6::varchar[]) AND name = ANY($7::varchar[]))
        ORDER BY kind, name`,
      [
        SECRET_KIND_NUMBER.dataset,
        distinct(queries.map((query) => query.dataset.toString())),
        SECRET_KIND_NUMBER.app,
        distinct(queries.map((query) => query.app.toString())),
        SECRET_KIND_NUMBER.requester,
        distinct(named.map((query) => query.requester.toLowerCase())),
        distinct(named.flatMap((query) => query.requesterNames)),
      ],
    );
    const secrets = rows.map(fromRawRow);
    return queries.map((query) => secrets.filter((secret) => isReleasableFor(secret.identity, query)));
  }

  /** Distinct master key ids the stored secrets were sealed under. */
  async masterKeyIds(): Promise<string[]> {
    const rows: { master_key_id: string }[] = await this.#manager.query(
      "SELECT DISTINCT master_key_id FROM sms_secret ORDER BY master_key_id",
    );
    return rows.map((row) => row.master_key_id);
  }

  async #versionOf(identity: SecretIdentity): Promise<number | undefined> {
    const row = await this.#manager
      .getRepository(SecretEntity)
      .createQueryBuilder("secret")
      .select("secret.version")
      .where(...identityClause(identity, "secret."))
      .getOne();
    return row?.version;
  }
}

/** Whether a session asking `query` may receive the secret with this identity. */
function isReleasableFor(identity: SecretIdentity, query: ReleasableQuery): boolean {
  switch (identity.kind) {
    case "dataset":
      return identity.asset === query.dataset;
    case "app":
      return identity.asset === query.app;
    case "requester":
      return identity.requester === query.requester.toLowerCase() && query.requesterNames.includes(identity.name);
  }
}

function identityClause(identity: SecretIdentity, prefix = ""): [string, Record<string, unknown>] {
  return [
    `${prefix}kind = :kind AND ${prefix}asset = :asset AND ${prefix}requester = :requester AND ${prefix}name = :name`,
    {
      kind: SECRET_KIND_NUMBER[identity.kind],
      asset: identity.asset.toString(),
      requester: identity.requester,
      name: identity.name,
    },
  ];
}

function toRow(write: SecretWrite) {
  return {
    kind: SECRET_KIND_NUMBER[write.identity.kind],
    asset: write.identity.asset,
    requester: write.identity.requester,
    name: write.identity.name,
    version: write.version,
    masterKeyId: write.sealed.masterKeyId,
    wrappedKey: Buffer.from(write.sealed.wrappedKey),
    ciphertext: Buffer.from(write.sealed.ciphertext),
    updatedBy: write.updatedBy.toLowerCase(),
  };
}

function fromRow(row: SecretRow): StoredSecret {
  return {
    identity: { kind: secretKindOfNumber(row.kind), asset: row.asset, requester: row.requester, name: row.name },
    version: row.version,
    sealed: { masterKeyId: row.masterKeyId, wrappedKey: row.wrappedKey, ciphertext: row.ciphertext },
    updatedAt: row.updatedAt,
  };
}

/** RETURNING rows come back with column names and driver types (numeric and int8 as strings). */
function fromRawRow(raw: Record<string, unknown>): StoredSecret {
  return fromRow({
    id: Number(raw.id),
    kind: Number(raw.kind),
    asset: BigInt(raw.asset as string),
    requester: raw.requester as string,
    name: raw.name as string,
    version: Number(raw.version),
    masterKeyId: raw.master_key_id as string,
    wrappedKey: raw.wrapped_key as Buffer,
    ciphertext: raw.ciphertext as Buffer,
    updatedBy: raw.updated_by as string,
    createdAt: raw.created_at as Date,
    updatedAt: raw.updated_at as Date,
  });
}
