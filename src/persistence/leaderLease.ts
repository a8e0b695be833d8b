// A leader lease among the replicas of a service: a PostgreSQL session-level advisory lock held on
// a dedicated connection, tried again every interval until it is granted and checked while held;
// the connection gone (the process killed, the network cut, the server restarted) is the lease
// gone, and PostgreSQL grants it to the next replica that asks. On PGlite, which one process owns,
// that process always leads.
import { EventEmitter } from "node:events";
import pg from "pg";
import { silentLogger, type Logger } from "../core/logger.ts";
import { WakeableDelay } from "../core/wakeableDelay.ts";

/** "acquired" when this process becomes the leader; "lost" with the reason when it stops being one. */
export type LeaseEvents = { acquired: []; lost: [reason: string] };

export interface LeaderLease extends EventEmitter<LeaseEvents> {
  /** How the lease is held: a PostgreSQL advisory lock, or alone (PGlite). */
  readonly mechanism: "advisory-lock" | "sole";
  readonly held: boolean;
  /** Starts asking for the lease; "acquired" follows once it is granted. */
  start(): void;
  /** Stops asking and gives the lease back ("lost" with reason "released" when it was held). */
  stop(): Promise<void>;
}

/** Advisory lock class id ("Leas" in ASCII); the second key is hashtext(name). Distinct from the migrations' lock class. */
export const LEASE_LOCK_CLASS = 0x4c656173;

export type AdvisoryLeaseOptions = {
  /** The PostgreSQL server every replica shares. */
  url: string;
  /** What is led, unique in the database: replicas asking for the same name compete. */
  name: string;
  /** Pause between attempts while another replica leads, and between checks while this one does (default 1,000 ms). */
  intervalMs?: number;
  /** A check unanswered for this long counts as a lost connection (default max(5 s, 3 × interval)). */
  checkTimeoutMs?: number;
  logger?: Logger;
};

export class AdvisoryLease extends EventEmitter<LeaseEvents> implements LeaderLease {
  readonly mechanism = "advisory-lock";
  readonly #url: string;
  readonly #name: string;
  readonly #intervalMs: number;
  readonly #checkTimeoutMs: number;
  readonly #logger: Logger;
  #client: pg.Client | undefined;
  #held = false;
  #loop: Promise<void> | undefined;
  #stopping = false;
  readonly #delay = new WakeableDelay();

  constructor(options: AdvisoryLeaseOptions) {
    super();
    this.#url = options.url;
    this.#name = options.name;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#checkTimeoutMs = options.checkTimeoutMs ?? Math.max(5_000, 3 * this.#intervalMs);
    this.#logger = (options.logger ?? silentLogger()).child({ component: "leader-lease", lease: options.name });
  }

  get held(): boolean {
    return this.#held;
  }

  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#delay.wake();
    await this.#loop;
    this.#loop = undefined;
    const client = this.#client;
    this.#client = undefined;
    if (client && this.#held) {
      await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [LEASE_LOCK_CLASS, this.#name]).catch(() => undefined);
    }
    await client?.end().catch(() => undefined);
    this.#drop("released");
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      try {
        const client = this.#client ?? (await this.#connect());
        if (this.#held) await client.query("SELECT 1");
        else await this.#tryAcquire(client);
      } catch (error) {
        this.#disconnect(`the lease's database connection failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!this.#stopping) await this.#delay.wait(this.#intervalMs);
    }
  }

  async #connect(): Promise<pg.Client> {
    // The server probes this session's TCP connection too, so a leader whose machine died or was
    // cut off frees the lock within about 3 check timeouts, after it stopped leading itself (1).
    const probeSeconds = Math.max(1, Math.ceil(this.#checkTimeoutMs / 1_000));
    const client = new pg.Client({
      connectionString: this.#url,
      connectionTimeoutMillis: this.#checkTimeoutMs,
      query_timeout: this.#checkTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: this.#checkTimeoutMs,
      application_name: "continuum-lease",
      options: `-c tcp_keepalives_idle=${probeSeconds} -c tcp_keepalives_interval=${probeSeconds} -c tcp_keepalives_count=2`,
    });
    // A broken session loses the lock at once: say so now, not at the next check.
    client.on("error", (error) => this.#disconnect(`the lease's database connection broke: ${error.message}`, client));
    client.on("end", () => this.#disconnect("the lease's database connection ended", client));
    this.#client = client;
    await client.connect();
    return client;
  }

  async #tryAcquire(client: pg.Client): Promise<void> {
    const { rows } = await client.query<{ granted: boolean; pid: number }>(
      "SELECT pg_try_advisory_lock($1, hashtext($2)) AS granted, pg_backend_pid() AS pid",
      [LEASE_LOCK_CLASS, this.#name],
    );
    if (!rows[0]?.granted || this.#stopping || client !== this.#client) return;
    this.#held = true;
    this.#logger.debug({ backendPid: rows[0].pid }, "advisory lock granted");
    this.emit("acquired");
  }

  /** Forgets the connection (`client`, when given, must still be the current one) and the lease with it. */
  #disconnect(reason: string, client?: pg.Client): void {
    if (client !== undefined && client !== this.#client) return;
    const current = this.#client;
    this.#client = undefined;
    current?.end().catch(() => undefined);
    this.#drop(reason);
  }

  #drop(reason: string): void {
    if (!this.#held) return;
    this.#held = false;
    this.emit("lost", reason);
  }
}

/** The lease of a process that is the only one on its database (PGlite): granted on start. */
export class SoleLease extends EventEmitter<LeaseEvents> implements LeaderLease {
  readonly mechanism = "sole";
  #held = false;

  get held(): boolean {
    return this.#held;
  }

  start(): void {
    if (this.#held) return;
    this.#held = true;
    this.emit("acquired");
  }

  async stop(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    this.emit("lost", "released");
  }
}
