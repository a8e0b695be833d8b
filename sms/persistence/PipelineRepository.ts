// The only code touching sms_pipeline and sms_pipeline_key: registering a pipeline with its sealed
// intermediate keys in one transaction (once per id), and loading a pipeline for a session.
import type { EntityManager } from "typeorm";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";
import type { PipelineDocument } from "../../src/wire/pipelines/index.ts";
import type { SealedSecret } from "../secrets/envelopeEncryption.ts";

export type StoredPipeline = {
  id: string;
  requester: string;
  documentHash: string;
  salt: string;
  signature: string;
  document: PipelineDocument;
  registeredAt: Date;
  /** The sealed intermediate key of each stage whose output another stage reads. */
  keys: ReadonlyMap<string, SealedSecret>;
};

export type PipelineRegistration = Omit<StoredPipeline, "registeredAt">;

export class PipelineRepository {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  /** Stores the pipeline and its keys unless its id is registered; says whether this call stored it. */
  async register(pipeline: PipelineRegistration): Promise<{ created: boolean }> {
    return this.#manager.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO sms_pipeline (id, requester, document_hash, salt, signature, document)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [pipeline.id, pipeline.requester.toLowerCase(), pipeline.documentHash, pipeline.salt, pipeline.signature, JSON.stringify(pipeline.document)],
      );
      if (inserted.length === 0) return { created: false };
      for (const [stage, sealed] of pipeline.keys) {
        await manager.query(
          "INSERT INTO sms_pipeline_key (pipeline_id, stage, master_key_id, wrapped_key, ciphertext) VALUES ($1, $2, $3, $4, $5)",
          [pipeline.id, stage, sealed.masterKeyId, Buffer.from(sealed.wrappedKey), Buffer.from(sealed.ciphertext)],
        );
      }
      return { created: true };
    });
  }

  async find(id: string): Promise<StoredPipeline | undefined> {
    const rows: Record<string, unknown>[] = await this.#manager.query("SELECT * FROM sms_pipeline WHERE id = $1", [id.toLowerCase()]);
    const row = rows[0];
    if (row === undefined) return undefined;
    const keyRows: Record<string, unknown>[] = await this.#manager.query(
      "SELECT stage, master_key_id, wrapped_key, ciphertext FROM sms_pipeline_key WHERE pipeline_id = $1",
      [row.id],
    );
    const keys = new Map(
      keyRows.map((key) => [
        key.stage as string,
        { masterKeyId: key.master_key_id as string, wrappedKey: key.wrapped_key as Buffer, ciphertext: key.ciphertext as Buffer },
      ]),
    );
    const document = typeof row.document === "string" ? (JSON.parse(row.document) as PipelineDocument) : (row.document as PipelineDocument);
    return {
      id: row.id as string,
      requester: row.requester as string,
      documentHash: row.document_hash as string,
      salt: row.salt as string,
      signature: row.signature as string,
      document,
      registeredAt: row.registered_at as Date,
      keys,
    };
  }
}
