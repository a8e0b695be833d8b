// Keeps the market's view of announced schedulers fresh: every interval it reads each one's
// /v1/info (readSchedulerRuntimes, with its timeout) and records the outcome. Reads run beside the
// market's requests, never in them: a slow or dead scheduler delays nothing but its own row.
import { silentLogger, type Logger } from "../../core/logger.ts";
import { readSchedulerRuntimes } from "./readSchedulerRuntimes.ts";
import type { SchedulerDirectory } from "./SchedulerDirectory.ts";

export type SchedulerWatcherOptions = {
  directory: SchedulerDirectory;
  intervalMs: number;
  timeoutMs: number;
  now?: () => number;
  logger?: Logger;
};

export class SchedulerWatcher {
  readonly #options: SchedulerWatcherOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: SchedulerWatcherOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "scheduler-watcher" });
  }

  start(): void {
    const tick = () => {
      this.#round = this.checkAll().finally(() => {
        if (!this.#stopped) {
          this.#timer = setTimeout(tick, this.#options.intervalMs);
          this.#timer.unref();
        }
      });
    };
    tick();
  }

  /** Reads every announced scheduler once, side by side. Never throws. */
  async checkAll(): Promise<void> {
    try {
      const all = await this.#options.directory.all();
      await Promise.all(all.map(({ workerpool, url }) => this.check(workerpool, url)));
    } catch (error) {
      this.#logger.warn({ err: error }, "cannot read the announced schedulers");
    }
  }

  /** Reads one scheduler and records what it said; a read of the same one already running is shared. Never throws. */
  check(workerpool: bigint, url: string): Promise<void> {
    const key = `${workerpool}:${url}`;
    const running = this.#inFlight.get(key);
    if (running) return running;
    const read = (async () => {
      const outcome = await readSchedulerRuntimes(url, workerpool, this.#options.timeoutMs);
      if (outcome.status !== "reachable") this.#logger.info({ workerpool: workerpool.toString(), url, ...outcome }, "announced scheduler not readable");
      await this.#options.directory.recordCheck(workerpool, url, outcome, this.#now());
    })()
      .catch((error: unknown) => this.#logger.warn({ err: error, workerpool: workerpool.toString() }, "cannot record a scheduler read"))
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, read);
    return read;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
    await Promise.all(this.#inFlight.values());
    clearTimeout(this.#timer);
  }
}
