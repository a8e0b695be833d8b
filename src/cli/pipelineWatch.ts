// Follows a pipeline through the market (GET /v1/pipelines/<id>): prints a line whenever a stage
// changes state (published, matched, completed with its result, failed with why, dropped), and
// stops when the pipeline completed, failing with PIPELINE_FAILED when it failed, or at the timeout.
import { setTimeout as sleep } from "node:timers/promises";
import type { PipelineStatusJson } from "../wire/marketApi/pipelineStatus.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";
import { marketClient } from "./orderLifecycle.ts";
import { pipelineFailed, pipelineRows, stageLine } from "./pipelineSubmit.ts";
import { changedLinePrinter, type WatchOptions } from "./requestWatch.ts";

export async function watchPipeline(context: CliContext, id: string, options: WatchOptions): Promise<void> {
  const market = marketClient(context);
  const deadline = Date.now() + options.timeoutMs;
  const show = changedLinePrinter(context);
  for (;;) {
    // An unknown id fails at once (PIPELINE_NOT_FOUND).
    const status = await market.get<PipelineStatusJson>(`/pipelines/${id}`);
    show("pipeline", `pipeline ${status.id} (${status.name}): ${status.state}`);
    for (const stage of status.stages) show(`stage ${stage.id}`, `  stage ${stage.id}: ${stageLine(stage)}`);
    if (status.state !== "running") {
      context.output.result({ ...status }, pipelineRows(status));
      if (status.state === "failed") throw pipelineFailed(status);
      return;
    }
    if (Date.now() >= deadline) {
      const done = status.stages.filter((stage) => stage.state === "completed").length;
      throw new CliError("WATCH_TIMEOUT", `Pipeline ${id} is still running after ${options.timeoutMs / 1000} s (${done} of ${status.stages.length} stages completed)`, {
        id,
        state: status.state,
      });
    }
    await sleep(Math.min(options.intervalMs, Math.max(0, deadline - Date.now())));
  }
}
