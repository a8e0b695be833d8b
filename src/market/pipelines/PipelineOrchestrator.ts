// Runs the market's pipelines forward: after every indexed range of chain events (and on a timer,
// for deadlines), each running pipeline's progress is read, ready stages' held-back orders enter
// the book through the ordinary intake, a finally failed stage fails the pipeline and drops every
// stage still waiting (their orders are never published, so never matched nor paid), and a
// pipeline whose final stages all completed is completed.
import type { Logger } from "../../core/logger.ts";
import { ChainReadError } from "../../chain/ChainReadError.ts";
import type { Ledger } from "../../persistence/ledger/index.ts";
import type { PipelineStatusJson } from "../../wire/marketApi/pipelineStatus.ts";
import type { OrderIntake } from "../book/OrderIntake.ts";
import type { OrderBook } from "../book/OrderBook.ts";
import { MarketError } from "../MarketError.ts";
import { nextStep, pipelineProgress, type ChainRequests } from "./pipelineProgress.ts";
import type { PipelineStore, StoredPipeline } from "./PipelineStore.ts";

export type PipelineOrchestratorOptions = {
  store: PipelineStore;
  ledger: Pick<Ledger, "requestStatus">;
  intake: Pick<OrderIntake, "publish">;
  /** Where a failed pipeline's stages that are in the book without a deal are taken out of it. */
  book: Pick<OrderBook, "remove">;
  /** The latest block's time, for deadlines. */
  chainTime: () => Promise<bigint>;
  logger: Logger;
  /** How often running pipelines are looked at without a new chain event, in ms (default 5 s). */
  intervalMs?: number;
};

export class PipelineOrchestrator {
  readonly #options: PipelineOrchestratorOptions;
  readonly #logger: Logger;
  #running: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: PipelineOrchestratorOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: "pipeline-orchestrator" });
  }

  start(): void {
    this.#timer ??= setInterval(() => this.poke(), this.#options.intervalMs ?? 5_000);
    this.#timer.unref();
    this.poke();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Looks at every running pipeline soon; pokes while a pass runs coalesce into one more pass. */
  poke(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.advanceAll()
      .catch((error: unknown) => this.#logger.warn({ err: error }, "cannot advance pipelines"))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  async advanceAll(): Promise<void> {
    for (const pipeline of await this.#options.store.running()) await this.#advance(pipeline);
  }

  /** Advances one pipeline until it waits on the chain, and returns its progress. */
  async advance(id: string): Promise<PipelineStatusJson | undefined> {
    const pipeline = await this.#options.store.get(id);
    if (pipeline === undefined) return undefined;
    if (pipeline.state === "running") await this.#advance(pipeline);
    return this.progress(id);
  }

  /** The pipeline's progress as the chain and the store say it now. */
  async progress(id: string): Promise<PipelineStatusJson | undefined> {
    const pipeline = await this.#options.store.get(id);
    if (pipeline === undefined) return undefined;
    return pipelineProgress(pipeline, await this.#chainRequests(pipeline), await this.#options.chainTime());
  }

  async #advance(pipeline: StoredPipeline): Promise<void> {
    const log = this.#logger.child({ pipeline: pipeline.id });
    // Each publication can complete nothing by itself, so one pass publishes every ready stage once.
    const current = (await this.#options.store.get(pipeline.id))!;
    const step = nextStep(pipelineProgress(current, await this.#chainRequests(current), await this.#options.chainTime()));
    switch (step.kind) {
      case "wait":
        return;
      case "complete":
        await this.#options.store.finish(pipeline.id, "completed");
        log.info("pipeline completed");
        return;
      case "fail": {
        const upstream = { code: "UPSTREAM_FAILED", message: `stage ${step.stage} failed: ${step.failure.code}` };
        for (const stage of step.drop) await this.#options.store.setStage(pipeline.id, stage, "dropped", upstream);
        // A stage in the book that no deal holds yet has not started: it leaves the book unpaid. One
        // the matcher took meanwhile (remove finds it no longer open) runs on, and shows as matched.
        const withdrawn: string[] = [];
        for (const stage of step.withdraw) {
          const { requestHash } = current.stages.find((candidate) => candidate.stage === stage)!;
          if (await this.#options.book.remove(requestHash, "unpublished")) {
            await this.#options.store.withdrawStage(pipeline.id, stage, upstream);
            withdrawn.push(stage);
          }
        }
        await this.#options.store.finish(pipeline.id, "failed", { stage: step.stage, ...step.failure });
        log.warn({ stage: step.stage, code: step.failure.code, dropped: step.drop, withdrawn }, "pipeline failed");
        return;
      }
      case "publish":
        for (const id of step.stages) await this.#publish(current, id, log);
        // A refused publication fails the pipeline: decide it now rather than on the next pass.
        if (step.stages.length > 0) {
          const after = (await this.#options.store.get(pipeline.id))!;
          if (after.stages.some((stage) => stage.state === "refused")) await this.#advance(after);
        }
    }
  }

  async #publish(pipeline: StoredPipeline, id: string, log: Logger): Promise<void> {
    const stage = pipeline.stages.find((candidate) => candidate.stage === id)!;
    try {
      await this.#options.intake.publish("request", { order: stage.order, signature: stage.signature });
    } catch (error) {
      if (error instanceof ChainReadError) {
        log.warn({ stage: id, err: error }, "cannot publish a stage's order now; retrying on the next pass");
        return;
      }
      // Another market replica published it first.
      if (!(error instanceof MarketError) || error.code !== "ORDER_EXISTS") {
        const failure = error instanceof MarketError ? { code: error.code, message: error.message } : { code: "PUBLISH_FAILED", message: String(error) };
        await this.#options.store.setStage(pipeline.id, id, "refused", failure);
        log.warn({ stage: id, code: failure.code }, "the book refused a stage's order");
        return;
      }
    }
    if (await this.#options.store.setStage(pipeline.id, id, "published")) log.info({ stage: id, request: stage.requestHash }, "stage published");
  }

  async #chainRequests(pipeline: StoredPipeline): Promise<ChainRequests> {
    const entries = await Promise.all(
      pipeline.stages
        .filter((stage) => stage.state === "published")
        .map(async (stage) => [stage.requestHash, await this.#options.ledger.requestStatus(stage.requestHash)] as const),
    );
    return new Map(entries);
  }
}
