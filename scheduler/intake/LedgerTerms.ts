// Reads, from the scheduler's own ledger tables, what a deal's tasks need beyond the deal itself:
// the app's bundle and measurement, the dataset's CID and checksum, the category's run time, and,
// for a pipeline stage, where its pipeline's completed stages put their outputs.
import type { EntityManager } from "typeorm";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";
import { readRequestParams } from "../../src/wire/requestParams.ts";
import type { StageOutputLocation } from "../../src/wire/workerApi/assignment.ts";

export type DealAssets = {
  app: { bundleCid: string; measurement: string; checksum: string | null } | undefined;
  dataset: { cid: string; checksum: string } | undefined;
  maxRunTimeSeconds: number | undefined;
};

export type SettledStatus = "completed" | "claimed" | "failed";

export class LedgerTerms {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  async assetsOf(app: string, dataset: string, category: string): Promise<DealAssets> {
    const [appRow] = await this.#manager.query(
      `SELECT content_cid, measurement, checksum FROM ledger_asset WHERE kind = 'app' AND asset_id = $1`,
      [app],
    );
    const [datasetRow] =
      dataset === "0"
        ? []
        : await this.#manager.query(`SELECT content_cid, checksum FROM ledger_asset WHERE kind = 'dataset' AND asset_id = $1`, [dataset]);
    const [categoryRow] = await this.#manager.query(`SELECT max_run_time FROM ledger_category WHERE category = $1`, [category]);
    return {
      app:
        appRow?.content_cid && appRow.measurement
          ? { bundleCid: appRow.content_cid, measurement: appRow.measurement, checksum: appRow.checksum ?? null }
          : undefined,
      dataset: datasetRow?.content_cid && datasetRow.checksum ? { cid: datasetRow.content_cid, checksum: datasetRow.checksum } : undefined,
      maxRunTimeSeconds: categoryRow ? Number(categoryRow.max_run_time) : undefined,
    };
  }

  /** How the chain settled these tasks, for those it settled: "completed", "claimed" or (failTask) "failed". */
  async finalized(taskIds: readonly string[]): Promise<Map<string, SettledStatus>> {
    if (taskIds.length === 0) return new Map();
    const rows = await this.#manager.query(`SELECT task_id, status FROM ledger_task WHERE task_id = ANY($1)`, [
      taskIds.map((id) => id.toLowerCase()),
    ]);
    return new Map(rows.map((row: { task_id: string; status: SettledStatus }) => [row.task_id, row.status]));
  }

  /**
   * Where the completed stages of `pipelineId` (deals of `requester` whose params name it) put their
   * outputs, oldest first per stage. A hint the enclave checks: an output opens only under its key.
   */
  async stageOutputs(pipelineId: string, requester: string): Promise<StageOutputLocation[]> {
    const rows: { params: string; result_cid: string }[] = await this.#manager.query(
      `SELECT d.params, t.result_cid FROM ledger_deal d JOIN ledger_task t ON t.deal_id = d.deal_id
        WHERE lower(d.requester) = $1 AND strpos(d.params, $2) > 0 AND t.status = 'completed' AND t.result_cid IS NOT NULL
        ORDER BY d.block_number, d.log_index`,
      [requester.toLowerCase(), pipelineId.toLowerCase()],
    );
    const outputs: StageOutputLocation[] = [];
    for (const row of rows) {
      const named = readRequestParams(row.params);
      if (!named.ok || named.pipeline?.pipeline !== pipelineId.toLowerCase()) continue;
      if (!outputs.some((output) => output.stage === named.pipeline!.stage)) outputs.push({ stage: named.pipeline.stage, resultCid: row.result_cid });
    }
    return outputs;
  }
}
