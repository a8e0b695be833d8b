// Turns a leader lease into the work only one replica may do: when the lease is granted, `lead()`
// starts that work (and returns how to stop it); when the lease is lost, that stop runs before
// anything else happens. Transitions run one at a time, each logged with the replica's id.
import { silentLogger, type Logger } from "../../core/logger.ts";
import type { LeaderLease } from "../../persistence/leaderLease.ts";

export type ReplicaRole = "leader" | "follower";

export type LeadershipOptions = {
  lease: LeaderLease;
  /** This process's id among the replicas, in logs. */
  replica: string;
  /** Starts the leader's work; resolves with the function that stops it. */
  lead(): Promise<() => Promise<void>>;
  logger?: Logger;
};

export class Leadership {
  readonly #lease: LeaderLease;
  readonly #replica: string;
  readonly #lead: LeadershipOptions["lead"];
  readonly #logger: Logger;
  #role: ReplicaRole = "follower";
  #stopWork: (() => Promise<void>) | undefined;
  #transitions: Promise<void> = Promise.resolve();
  #since = Date.now();
  #terms = 0;
  readonly #onAcquired = () => this.#transition(() => this.#becomeLeader());
  readonly #onLost = (reason: string) => this.#transition(() => this.#becomeFollower(reason));

  constructor(options: LeadershipOptions) {
    this.#lease = options.lease;
    this.#replica = options.replica;
    this.#lead = options.lead;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "leadership", replica: options.replica });
  }

  get role(): ReplicaRole {
    return this.#role;
  }

  /** When the current role began (ms since the epoch). */
  get since(): number {
    return this.#since;
  }

  /** Times this process became the leader. */
  get terms(): number {
    return this.#terms;
  }

  start(): void {
    this.#lease.on("acquired", this.#onAcquired);
    this.#lease.on("lost", this.#onLost);
    this.#logger.info({ role: this.#role, lease: this.#lease.mechanism }, "replica started; asking for the leader lease");
    this.#lease.start();
  }

  /** Resolves once the transitions asked for so far are done. */
  settled(): Promise<void> {
    return this.#transitions;
  }

  /** Stops the leader's work if running, then gives the lease back. */
  async stop(): Promise<void> {
    await this.#lease.stop();
    await this.#transitions;
    this.#lease.off("acquired", this.#onAcquired);
    this.#lease.off("lost", this.#onLost);
  }

  #transition(step: () => Promise<void>): void {
    this.#transitions = this.#transitions.then(step).catch((error: unknown) => {
      this.#logger.error({ err: error }, "leadership transition failed");
    });
  }

  async #becomeLeader(): Promise<void> {
    if (!this.#lease.held || this.#role === "leader") return;
    const startedAt = performance.now();
    try {
      this.#stopWork = await this.#lead();
    } catch (error) {
      // Leading without its work would block the others: give the lease back; it is asked for again.
      this.#logger.error({ err: error }, "cannot start the leader's work; releasing the lease");
      await this.#lease.stop();
      this.#lease.start();
      return;
    }
    this.#role = "leader";
    this.#since = Date.now();
    this.#terms += 1;
    this.#logger.info(
      { role: "leader", previousRole: "follower", term: this.#terms, startMs: Math.round(performance.now() - startedAt) },
      "leadership acquired: this replica indexes the chain and matches",
    );
  }

  async #becomeFollower(reason: string): Promise<void> {
    if (this.#role !== "leader") return;
    this.#role = "follower";
    this.#since = Date.now();
    const stop = this.#stopWork;
    this.#stopWork = undefined;
    // Handing the lease back on the way out is planned; losing it otherwise is worth a warning.
    const fields = { role: "follower", previousRole: "leader", reason };
    if (reason === "released") this.#logger.info(fields, "leadership released: matching and indexing stop");
    else this.#logger.warn(fields, "leadership lost: matching and indexing stop");
    await stop?.();
  }
}
