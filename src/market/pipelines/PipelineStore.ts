// The only code touching market_pipeline and market_pipeline_stage: storing a submitted pipeline
// with its held-back stage orders, listing the running ones, and recording each stage's and the
// pipeline's progress as the orchestrator decides it.
import type { EntityManager } from "typeorm";
import { managerOf, type Database } from "../../persistence/managerOf.ts";
import type { OrderJson } from "../../wire/marketApi/orderJson.ts";
import type { PipelineState, StageFailureJson } from "../../wire/marketApi/pipelineStatus.ts";
import type { PipelineDocument } from "../../wire/pipelines/index.ts";

/** What the market stores of a stage: `refused` when the book refused its order, `dropped` when an upstream stage failed. */
export type StoredStageState = "waiting" | "published" | "refused" | "dropped";

export type StoredStage = {
  stage: string;
  position: number;
  requestHash: string;
  order: OrderJson;
  signature: string;
  state: StoredStageState;
  failure: StageFailureJson | null;
  publishedAt: Date | null;
};

export type StoredPipeline = {
  id: string;
  requester: string;
  name: string;
  documentHash: string;
  salt: string;
  signature: string;
  document: PipelineDocument;
  state: PipelineState;
  failure: (StageFailureJson & { stage: string }) | null;
  submittedAt: Date;
  stages: StoredStage[];
};

export type NewPipeline = Omit<StoredPipeline, "state" | "failure" | "submittedAt" | "stages"> & {
  stages: Omit<StoredStage, "state" | "failure" | "publishedAt">[];
};

const json = <T>(value: unknown): T => (typeof value === "string" ? (JSON.parse(value) as T) : (value as T));

export class PipelineStore {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  /** Stores the pipeline, every stage waiting; false when its id (or a stage's order) is stored already. */
  async create(pipeline: NewPipeline): Promise<boolean> {
    return this.#manager.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO market_pipeline (id, requester, name, document_hash, salt, signature, document, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'running') ON CONFLICT (id) DO NOTHING RETURNING id`,
        [pipeline.id, pipeline.requester.toLowerCase(), pipeline.name, pipeline.documentHash, pipeline.salt, pipeline.signature, JSON.stringify(pipeline.document)],
      );
      if (inserted.length === 0) return false;
      for (const stage of pipeline.stages) {
        await manager.query(
          `INSERT INTO market_pipeline_stage (pipeline_id, stage, position, request_hash, order_json, signature, state)
           VALUES ($1, $2, $3, $4, $5, $6, 'waiting')`,
          [pipeline.id, stage.stage, stage.position, stage.requestHash.toLowerCase(), JSON.stringify(stage.order), stage.signature],
        );
      }
      return true;
    });
  }

  async get(id: string): Promise<StoredPipeline | undefined> {
    const rows: Record<string, unknown>[] = await this.#manager.query("SELECT * FROM market_pipeline WHERE id = $1", [id.toLowerCase()]);
    if (rows.length === 0) return undefined;
    return this.#withStages(rows)[0];
  }

  /** Every pipeline still running, oldest first. */
  async running(): Promise<StoredPipeline[]> {
    const rows: Record<string, unknown>[] = await this.#manager.query("SELECT * FROM market_pipeline WHERE state = 'running' ORDER BY submitted_at");
    return Promise.all(this.#withStages(rows));
  }

  /** Records a stage's new state; only from `waiting`, so two market replicas never undo each other. */
  async setStage(id: string, stage: string, state: Exclude<StoredStageState, "waiting">, failure: StageFailureJson | null = null): Promise<boolean> {
    const rows: unknown[] = await this.#manager.query(
      `UPDATE market_pipeline_stage SET state = $3::varchar, failure = $4::jsonb, published_at = CASE WHEN $3::varchar = 'published' THEN now() ELSE NULL END
        WHERE pipeline_id = $1 AND stage = $2 AND state = 'waiting' RETURNING stage`,
      [id.toLowerCase(), stage, state, failure === null ? null : JSON.stringify(failure)],
    );
    return rows.length > 0;
  }

  /** A published stage taken back out of the book before any deal held it: dropped, for `failure`. */
  async withdrawStage(id: string, stage: string, failure: StageFailureJson): Promise<boolean> {
    const rows: unknown[] = await this.#manager.query(
      `UPDATE market_pipeline_stage SET state = 'dropped', failure = $3::jsonb WHERE pipeline_id = $1 AND stage = $2 AND state = 'published' RETURNING stage`,
      [id.toLowerCase(), stage, JSON.stringify(failure)],
    );
    return rows.length > 0;
  }

  /** Ends a running pipeline: completed, or failed by `failure`'s stage. */
  async finish(id: string, state: Exclude<PipelineState, "running">, failure: (StageFailureJson & { stage: string }) | null = null): Promise<void> {
    await this.#manager.query("UPDATE market_pipeline SET state = $2::varchar, failure = $3::jsonb WHERE id = $1 AND state = 'running'", [
      id.toLowerCase(),
      state,
      failure === null ? null : JSON.stringify(failure),
    ]);
  }

  #withStages(rows: Record<string, unknown>[]): Promise<StoredPipeline>[] {
    return rows.map(async (row) => {
      const stageRows: Record<string, unknown>[] = await this.#manager.query(
        "SELECT * FROM market_pipeline_stage WHERE pipeline_id = $1 ORDER BY position",
        [row.id],
      );
      return {
        id: row.id as string,
        requester: row.requester as string,
        name: row.name as string,
        documentHash: row.document_hash as string,
        salt: row.salt as string,
        signature: row.signature as string,
        document: json<PipelineDocument>(row.document),
        state: row.state as PipelineState,
        failure: row.failure === null ? null : json<StageFailureJson & { stage: string }>(row.failure),
        submittedAt: row.submitted_at as Date,
        stages: stageRows.map((stage) => ({
          stage: stage.stage as string,
          position: Number(stage.position),
          requestHash: stage.request_hash as string,
          order: json<OrderJson>(stage.order_json),
          signature: stage.signature as string,
          state: stage.state as StoredStageState,
          failure: stage.failure === null ? null : json<StageFailureJson>(stage.failure),
          publishedAt: (stage.published_at as Date | null) ?? null,
        })),
      };
    });
  }
}
