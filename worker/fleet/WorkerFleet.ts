// A local fleet of workers grown and shrunk to a requested size. Growing launches workers;
// shrinking drains them, idle ones first: a draining worker takes no new task, finishes and
// reports the one it holds, then stops, so no task is lost or run twice. A worker that stops by
// itself (a crashed worker process) is counted and replaced, keeping the fleet at its size.
import { EventEmitter } from "node:events";
import { silentLogger, type Logger } from "../../src/core/logger.ts";

/** What the fleet needs of a worker, whether it runs in this process or in a child process. */
export type FleetMember = {
  readonly address: string;
  /** Whether it holds a task (idle workers are drained first). */
  readonly busy: boolean;
  /** Stops it: the running task finishes (or, with `abandon`, is cancelled); resolves once it has stopped. */
  close(options?: { abandon?: boolean }): Promise<void>;
  /** Settles when the worker stops by itself, with why; absent for workers that cannot (in-process ones). */
  readonly crashed?: Promise<string>;
};

/** Starts the fleet's n-th worker (registered and polling once it resolves). */
export type LaunchWorker<Member extends FleetMember = FleetMember> = (index: number) => Promise<Member>;

export type FleetEvents = {
  launched: [address: string];
  draining: [address: string];
  drained: [address: string];
  crashed: [address: string, reason: string];
};

export class WorkerFleet<Member extends FleetMember = FleetMember> extends EventEmitter<FleetEvents> {
  readonly #launch: LaunchWorker<Member>;
  readonly #logger: Logger;
  readonly #active: Member[] = [];
  readonly #draining = new Map<string, Promise<void>>();
  #launched = 0;
  #crashes = 0;
  #desired = 0;
  #scaling: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: { launch: LaunchWorker<Member>; logger?: Logger }) {
    super();
    this.#launch = options.launch;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "worker-fleet" });
  }

  /** Workers taking tasks (draining ones not counted). */
  get size(): number {
    return this.#active.length;
  }

  /** Workers finishing their last task before they stop. */
  get draining(): number {
    return this.#draining.size;
  }

  /** Workers that stopped by themselves since the fleet started (each was replaced). */
  get crashes(): number {
    return this.#crashes;
  }

  get workers(): readonly Member[] {
    return this.#active;
  }

  /**
   * Launches or drains workers until `size` take tasks; drains are not awaited (see drained()).
   * Calls run one after another, so concurrent callers (the autoscaler, a crash's replacement)
   * never launch past the size last asked for.
   */
  scaleTo(size: number): Promise<void> {
    this.#desired = size;
    const step = this.#scaling.then(() => this.#scaleTo(this.#desired));
    this.#scaling = step.catch(() => undefined);
    return step;
  }

  async #scaleTo(size: number): Promise<void> {
    if (this.#closed) return;
    const missing = size - this.#active.length;
    // Each worker joins as soon as it is up (slow starts, e.g. worker processes, do not hold back the others).
    await Promise.all(Array.from({ length: missing }, () => this.#launchOne()));
    for (let excess = this.#active.length - size; excess > 0; excess -= 1) this.#drain(this.#pickToDrain());
  }

  async #launchOne(): Promise<void> {
    let member: Member;
    try {
      member = await this.#launch(this.#launched++);
    } catch (error) {
      this.#logger.warn({ err: error }, "a worker failed to start");
      return;
    }
    if (this.#closed) {
      void member.close({ abandon: true });
      return;
    }
    this.#active.push(member);
    this.#watch(member);
    this.#logger.info({ worker: member.address, size: this.#active.length }, "worker launched");
    this.emit("launched", member.address);
  }

  /** Resolves once every worker told to drain so far has stopped. */
  async drained(): Promise<void> {
    await Promise.all([...this.#draining.values()]);
  }

  /** Drains every worker (or, with `abandon`, cancels their tasks) and waits for them to stop. */
  async close(options: { abandon?: boolean } = {}): Promise<void> {
    this.#closed = true;
    await this.#scaling;
    const all = this.#active.splice(0);
    await Promise.all([...all.map((worker) => worker.close(options)), this.drained()]);
  }

  /** A worker that stops by itself while taking tasks is counted, dropped and replaced. */
  #watch(member: Member): void {
    member.crashed?.then((reason) => {
      const index = this.#active.indexOf(member);
      if (index < 0) return;
      this.#active.splice(index, 1);
      this.#crashes += 1;
      this.#logger.warn({ worker: member.address, reason, size: this.#active.length }, "worker stopped by itself; replacing it");
      this.emit("crashed", member.address, reason);
      if (!this.#closed) this.scaleTo(this.#desired).catch((error: unknown) => this.#logger.warn({ err: error }, "cannot replace the worker"));
    });
  }

  /** An idle worker if there is one (the newest), else the newest. */
  #pickToDrain(): Member {
    const idle = this.#active.findLastIndex((worker) => !worker.busy);
    const index = idle >= 0 ? idle : this.#active.length - 1;
    return this.#active.splice(index, 1)[0]!;
  }

  #drain(worker: Member): void {
    this.#logger.info({ worker: worker.address, busy: worker.busy }, "draining worker");
    this.emit("draining", worker.address);
    const done = worker
      .close()
      .catch((error: unknown) => this.#logger.warn({ err: error, worker: worker.address }, "worker stopped with an error"))
      .then(() => {
        this.#draining.delete(worker.address);
        this.emit("drained", worker.address);
      });
    this.#draining.set(worker.address, done);
  }
}
