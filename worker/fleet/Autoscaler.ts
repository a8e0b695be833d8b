// Keeps a local worker fleet sized to its scheduler's queue: every interval it reads GET /v1/queue,
// applies the HPA rule (scaleDecision.ts) and grows or drains the fleet. Each step is emitted as a
// sample (the benchmark draws them); a step whose queue cannot be read leaves the fleet as it is.
import { EventEmitter } from "node:events";
import { silentLogger, type Logger } from "../../src/core/logger.ts";
import type { QueueSnapshotMessage } from "../../src/wire/workerApi/queueSnapshot.ts";
import { decideScale, type Recommendation, type ScalePolicy, type ScaleReason } from "./scaleDecision.ts";
import type { WorkerFleet } from "./WorkerFleet.ts";

export type AutoscaleSample = {
  atMs: number;
  /** Workers taking tasks after this step. */
  workers: number;
  draining: number;
  waiting: number;
  running: number;
  leastWaitingSlackSeconds: number | null;
  desired: number;
  reason: ScaleReason;
};

export type AutoscalerOptions = {
  fleet: WorkerFleet;
  policy: ScalePolicy;
  /** The queue, usually fetchQueue(schedulerUrl). */
  readQueue: () => Promise<QueueSnapshotMessage>;
  /** Pause between steps (default 5 s; HPA's is 15 s). */
  intervalMs?: number;
  now?: () => number;
  logger?: Logger;
};

export class Autoscaler extends EventEmitter<{ sample: [AutoscaleSample] }> {
  readonly #options: AutoscalerOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  #history: Recommendation[] = [];
  #timer: NodeJS.Timeout | undefined;
  #step: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: AutoscalerOptions) {
    super();
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "autoscaler" });
  }

  /** Brings the fleet to min, then steps every interval until stop(). */
  async start(): Promise<void> {
    await this.#options.fleet.scaleTo(this.#options.policy.min);
    const tick = () => {
      this.#step = this.step().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, this.#options.intervalMs ?? 5_000);
      });
    };
    tick();
  }

  /** One step: read the queue, decide, scale. Never throws. */
  async step(): Promise<void> {
    let queue: QueueSnapshotMessage;
    try {
      queue = await this.#options.readQueue();
    } catch (error) {
      this.#logger.warn({ err: error }, "cannot read the scheduler's queue; the fleet stays as it is");
      return;
    }
    const fleet = this.#options.fleet;
    const current = fleet.size;
    const atMs = this.#now();
    const decision = decideScale(this.#options.policy, current, queue, this.#history, atMs);
    this.#history = decision.history;
    if (decision.desired !== current) {
      this.#logger.info({ from: current, to: decision.desired, reason: decision.reason, waiting: queue.waiting, running: queue.running }, "scaling the fleet");
      await fleet.scaleTo(decision.desired);
    }
    this.emit("sample", {
      atMs,
      workers: fleet.size,
      draining: fleet.draining,
      waiting: queue.waiting,
      running: queue.running,
      leastWaitingSlackSeconds: queue.leastWaitingSlackSeconds,
      desired: decision.desired,
      reason: decision.reason,
    });
  }

  /** Stops stepping; the fleet keeps its workers (close it to stop them). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#step;
    clearTimeout(this.#timer);
  }
}
