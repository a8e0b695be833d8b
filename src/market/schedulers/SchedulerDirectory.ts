// The market's record of workerpool schedulers: the URL each owner announced and what the market's
// last read of it found. Announcing again replaces the URL and resets the record to pending.
import type { DataSource } from "typeorm";
import type { OfferedRuntimeJson, SchedulerCheckStatus, WorkerpoolSchedulerJson } from "../../wire/marketApi/workerpoolScheduler.ts";

export type SchedulerCheck =
  | { status: "reachable"; runtimes: OfferedRuntimeJson[] }
  | { status: "unreachable" | "mismatch"; problem: string };

type Row = {
  workerpool: string;
  url: string;
  announced_by: string;
  announced_at: string;
  status: SchedulerCheckStatus;
  checked_at: string | null;
  runtimes: OfferedRuntimeJson[] | null;
  problem: string | null;
};

export class SchedulerDirectory {
  readonly #db: DataSource;

  constructor(db: DataSource) {
    this.#db = db;
  }

  async announce(workerpool: bigint, url: string, announcedBy: string, atMs: number): Promise<WorkerpoolSchedulerJson> {
    const [row] = (await this.#db.query(
      `INSERT INTO market_workerpool_scheduler (workerpool, url, announced_by, announced_at, status, checked_at, runtimes, problem)
       VALUES ($1, $2, $3, $4, 'pending', NULL, NULL, NULL)
       ON CONFLICT (workerpool) DO UPDATE SET url = EXCLUDED.url, announced_by = EXCLUDED.announced_by,
         announced_at = EXCLUDED.announced_at, status = 'pending', checked_at = NULL, runtimes = NULL, problem = NULL
       RETURNING *`,
      [workerpool.toString(), url, announcedBy.toLowerCase(), atMs],
    )) as Row[];
    return toJson(row!);
  }

  async of(workerpool: bigint): Promise<WorkerpoolSchedulerJson | undefined> {
    const [row] = (await this.#db.query(`SELECT * FROM market_workerpool_scheduler WHERE workerpool = $1`, [workerpool.toString()])) as Row[];
    return row ? toJson(row) : undefined;
  }

  /** Every announced scheduler, for the periodic reads. */
  async all(): Promise<{ workerpool: bigint; url: string }[]> {
    const rows = (await this.#db.query(`SELECT workerpool, url FROM market_workerpool_scheduler ORDER BY workerpool`)) as Row[];
    return rows.map((row) => ({ workerpool: BigInt(row.workerpool), url: row.url }));
  }

  /** Records a read of `url`, unless the workerpool has announced another URL meanwhile. */
  async recordCheck(workerpool: bigint, url: string, check: SchedulerCheck, atMs: number): Promise<void> {
    await this.#db.query(
      `UPDATE market_workerpool_scheduler SET status = $3, checked_at = $4, runtimes = $5, problem = $6 WHERE workerpool = $1 AND url = $2`,
      [
        workerpool.toString(),
        url,
        check.status,
        atMs,
        check.status === "reachable" ? JSON.stringify(check.runtimes) : null,
        check.status === "reachable" ? null : check.problem.slice(0, 500),
      ],
    );
  }
}

function toJson(row: Row): WorkerpoolSchedulerJson {
  return {
    url: row.url,
    announcedBy: row.announced_by,
    announcedAt: new Date(Number(row.announced_at)).toISOString(),
    status: row.status,
    checkedAt: row.checked_at === null ? null : new Date(Number(row.checked_at)).toISOString(),
    runtimes: row.status === "reachable" ? row.runtimes : null,
    problem: row.problem,
  };
}
