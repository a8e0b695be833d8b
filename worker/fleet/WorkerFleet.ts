// A local fleet of workers grown and shrunk to a requested size. Growing launches workers;
// shrinking drains them, idle ones first: a draining worker takes no new task, finishes and
// reports the one it holds, then stops, so no task is lost or run twice.
import { EventEmitter } from "node:events";
import { silentLogger, type Logger } from "../../src/core/logger.ts";
import type { RunningWorker } from "../startWorker.ts";

/** Starts the fleet's n-th worker (registered and polling once it resolves). */
export type LaunchWorker = (index: number) => Promise<RunningWorker>;

export type FleetEvents = {
  launched: [address: string];
  draining: [address: string];
  drained: [address: string];
};

export class WorkerFleet extends EventEmitter<FleetEvents> {
  readonly #launch: LaunchWorker;
  readonly #logger: Logger;
  readonly #active: RunningWorker[] = [];
  readonly #draining = new Map<string, Promise<void>>();
  #launched = 0;
  #closed = false;

  constructor(options: { launch: LaunchWorker; logger?: Logger }) {
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

  get workers(): readonly RunningWorker[] {
    return this.#active;
  }

  /** Launches or drains workers until `size` take tasks; drains are not awaited (see drained()). */
  async scaleTo(size: number): Promise<void> {
    if (this.#closed) return;
    const missing = size - this.#active.length;
    if (missing > 0) {
      const started = await Promise.allSettled(Array.from({ length: missing }, () => this.#launch(this.#launched++)));
      for (const outcome of started) {
        if (outcome.status === "rejected") {
          this.#logger.warn({ err: outcome.reason }, "a worker failed to start");
          continue;
        }
        this.#active.push(outcome.value);
        this.#logger.info({ worker: outcome.value.address, size: this.#active.length }, "worker launched");
        this.emit("launched", outcome.value.address);
      }
    }
    for (let excess = this.#active.length - size; excess > 0; excess -= 1) this.#drain(this.#pickToDrain());
  }

  /** Resolves once every worker told to drain so far has stopped. */
  async drained(): Promise<void> {
    await Promise.all([...this.#draining.values()]);
  }

  /** Drains every worker (or, with `abandon`, cancels their tasks) and waits for them to stop. */
  async close(options: { abandon?: boolean } = {}): Promise<void> {
    this.#closed = true;
    const all = this.#active.splice(0);
    await Promise.all([...all.map((worker) => worker.close(options)), this.drained()]);
  }

  /** An idle worker if there is one (the newest), else the newest. */
  #pickToDrain(): RunningWorker {
    const idle = this.#active.findLastIndex((worker) => !worker.worker.busy);
    const index = idle >= 0 ? idle : this.#active.length - 1;
    return this.#active.splice(index, 1)[0]!;
  }

  #drain(worker: RunningWorker): void {
    this.#logger.info({ worker: worker.address, busy: worker.worker.busy }, "draining worker");
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
