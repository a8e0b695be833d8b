// `npm run bench:pipeline`: N three-stage confidential pipelines beside the same tasks chained by
// hand, in one run on a fresh devnet; writes bench/results/pipeline.json. It reports; it does not
// fail on speed, only when it cannot run.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatPipelineBench, runPipelineBench } from "./pipeline/pipelineBench.ts";

const HELP = `Usage: npm run bench:pipeline -- [--pipelines N] [--hand-chained M] [--concurrency C]

Runs N three-stage district-air pipelines (clean-air and clean-traffic, then a join reading both;
intermediate outputs sealed from enclave to enclave) through a fresh devnet stack, each timed from
submission to the join's result decrypted by the requester. In the same run, M times, the same three
tasks as independent requests chained by hand: both cleaning requests, then the requester downloads
and decrypts their results, carries them into a dataset of its own and requests the join on it.
Writes bench/results/pipeline.json: completed and lost, p50 and p95 of each, and the overhead
(pipeline p50 / hand-chained p50).

Options:
  --pipelines N      pipelines to run (default 20)
  --hand-chained M   hand-chained runs beside them (default 10)
  --concurrency C    runs in flight at once (default 4)
  -h, --help         show this help
`;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    pipelines: { type: "string", default: "20" },
    "hand-chained": { type: "string", default: "10" },
    concurrency: { type: "string", default: "4" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const whole = (name: string, text: string) => {
  if (!/^[1-9][0-9]{0,4}$/.test(text)) {
    console.error(`--${name} must be a whole number from 1 (see --help)`);
    process.exit(1);
  }
  return Number(text);
};
const result = await runPipelineBench({
  pipelines: whole("pipelines", values.pipelines),
  handChained: whole("hand-chained", values["hand-chained"]),
  concurrency: whole("concurrency", values.concurrency),
  progress: (line) => console.log(`• ${line}`),
}).catch((error: unknown) => {
  console.error(`bench:pipeline failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "pipeline.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(formatPipelineBench(result));
console.log("\nwritten to bench/results/pipeline.json");
process.exit(result.pipelines.lost === 0 ? 0 : 1);
