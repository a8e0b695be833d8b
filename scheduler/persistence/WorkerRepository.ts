// The only code reading and writing the scheduler's worker registry: registration (idempotent,
// capabilities refreshed), heartbeats, and which workers are still alive.
import type { EntityManager } from "typeorm";
import { managerOf, type Database } from "../../src/persistence/managerOf.ts";
import type { SchedulerWorkerRow } from "./schedulerEntities.ts";
import { workerRowOf } from "./taskRows.ts";
import type { WorkerCapabilities } from "../../src/wire/workerApi/assignment.ts";

export class WorkerRepository {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  async register(address: string, capabilities: WorkerCapabilities): Promise<SchedulerWorkerRow> {
    const [row] = await this.#manager.query(
      `INSERT INTO scheduler_worker (address, cpu, memory_mb, tee, gpu, runtimes) VALUES ($1,$2,$3,$4,$5,$6)
       ON CONFLICT (address) DO UPDATE SET cpu = $2, memory_mb = $3, tee = $4, gpu = $5, runtimes = $6, last_heartbeat = now()
       RETURNING *`,
      [
        address.toLowerCase(), capabilities.cpu, capabilities.memoryMb, capabilities.tee, capabilities.gpu,
        JSON.stringify(capabilities.runtimes ?? [{ runtime: "node" }]),
      ],
    );
    return workerRowOf(row);
  }

  /** Records a heartbeat; undefined for a worker that never registered. */
  async heartbeat(address: string): Promise<SchedulerWorkerRow | undefined> {
    const rows = await this.#manager.query(
      `WITH beat AS (UPDATE scheduler_worker SET last_heartbeat = now() WHERE address = $1 RETURNING *) SELECT * FROM beat`,
      [address.toLowerCase()],
    );
    return rows[0] ? workerRowOf(rows[0]) : undefined;
  }

  async worker(address: string): Promise<SchedulerWorkerRow | undefined> {
    const [row] = await this.#manager.query(`SELECT * FROM scheduler_worker WHERE address = $1`, [address.toLowerCase()]);
    return row ? workerRowOf(row) : undefined;
  }

  /** Workers heard from within `silenceMs`. */
  async liveWithin(silenceMs: number): Promise<SchedulerWorkerRow[]> {
    const rows = await this.#manager.query(
      `SELECT * FROM scheduler_worker WHERE last_heartbeat >= now() - ($1 || ' milliseconds')::interval ORDER BY address`,
      [String(silenceMs)],
    );
    return rows.map(workerRowOf);
  }

  /** Live workers (heard from within `silenceMs`) holding an assigned or running task, and those holding none. */
  async busyAndIdle(silenceMs: number): Promise<{ busy: number; idle: number }> {
    const [row]: { busy: string; idle: string }[] = await this.#manager.query(
      `SELECT count(*) FILTER (WHERE held) AS busy, count(*) FILTER (WHERE NOT held) AS idle FROM (
         SELECT EXISTS (SELECT 1 FROM scheduler_task t WHERE t.worker = w.address AND t.state IN ('assigned','running')) AS held
           FROM scheduler_worker w WHERE w.last_heartbeat >= now() - ($1 || ' milliseconds')::interval) live`,
      [String(silenceMs)],
    );
    return { busy: Number(row?.busy ?? 0), idle: Number(row?.idle ?? 0) };
  }

  /** Workers whose last heartbeat is older than `silenceMs`. */
  async silentSince(silenceMs: number): Promise<SchedulerWorkerRow[]> {
    const rows = await this.#manager.query(
      `SELECT * FROM scheduler_worker WHERE last_heartbeat < now() - ($1 || ' milliseconds')::interval`,
      [String(silenceMs)],
    );
    return rows.map(workerRowOf);
  }
}
