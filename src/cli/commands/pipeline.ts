// `continuum pipeline`: a requester's multi-stage analytics whose intermediate results stay sealed
// between enclaves: submit a pipeline document (a DAG of stages), then follow it stage by stage.
import type { Command } from "commander";
import { parseBytes32 } from "../arguments.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import { parseDuration, withDefault } from "../orderTerms.ts";
import { submitPipeline, type PipelineSubmitOptions } from "../pipelineSubmit.ts";
import { watchPipeline } from "../pipelineWatch.ts";

export function registerPipelineCommands(program: Command, kit: CommandKit): void {
  const pipeline = withExamples(
    program
      .command("pipeline")
      .description(
        "run a pipeline: stages (apps on datasets and on earlier stages' outputs) whose intermediate outputs stay sealed " +
          "from one attested enclave to the next; only the final stages' outputs reach you, encrypted to your result key",
      ),
    "continuum pipeline submit examples/pipelines/air-quality-by-district.json",
    "continuum pipeline watch 0x7c…",
  );

  withExamples(
    pipeline
      .command("submit")
      .description(
        "check a pipeline document (JSON Schema: src/wire/pipelines/pipeline.schema.json, also GET /v1/pipelines/schema; no " +
          "cycle, no unknown input, at most one dataset per stage), sign it and every stage's request order, register it with " +
          "the SMS and submit it to the market; stages are published as their inputs become ready, and paid only once matched",
      )
      .argument("<file>", "the pipeline document (JSON)")
      .option("--result-key <file>", "your result key file; final stages' outputs are encrypted to its public key (default: <data-dir>/keys/result-key.json)")
      .addOption(withDefault("--expires-in <duration>", "how long every stage's order stays valid, in chain time: leave room for the stages before it", parseDuration, "7d")),
    "CONTINUUM_PASSWORD=… continuum pipeline submit pipeline.json --result-key results.key.json",
    "continuum --json pipeline submit pipeline.json",
  ).action((file: string, options: PipelineSubmitOptions, command: Command) => submitPipeline(kit.contextOf(command), file, options));

  withExamples(
    pipeline
      .command("watch")
      .description(
        "follow a pipeline's stages (GET /v1/pipelines/<id>): waiting, published, matched, completed, failed or dropped, with " +
          "each stage's deal, task and result; exits 1 with PIPELINE_FAILED when a stage finally failed",
      )
      .argument("<id>", "the pipeline id printed by submit", parseBytes32)
      .addOption(withDefault("--timeout <duration>", "give up after this long: 90s, 30m, 2h", parseDuration, "30m"))
      .addOption(withDefault("--interval <duration>", "pause between polls", parseDuration, "2s")),
    "continuum pipeline watch 0x7c… --timeout 2h",
    "continuum --json pipeline watch 0x7c…",
  ).action((id: string, options: { timeout: bigint; interval: bigint }, command: Command) =>
    watchPipeline(kit.contextOf(command), id, { timeoutMs: Number(options.timeout) * 1000, intervalMs: Number(options.interval) * 1000 }),
  );
}
