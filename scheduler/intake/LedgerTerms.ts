// Reads, from the scheduler's own ledger tables, what a deal's tasks need beyond the deal itself:
// the app's bundle and measurement, the dataset's CID and checksum, the category's run time.
import type { EntityManager } from "typeorm";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";

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
}
