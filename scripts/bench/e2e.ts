// End-to-end benchmark (`npm run bench:e2e -- --tasks N [--runtime python]`): N confidential
// ward-stats tasks per runtime through a fresh devnet stack with two workers; writes
// bench/results/e2e.json. It reports; it does not fail on speed, only when it cannot run.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCH_RUNTIMES, formatE2eBench, runE2eBench, type BenchRuntime } from "./e2e/e2eBench.ts";

const HELP = `Usage: npm run bench:e2e -- [--tasks N] [--runtime R[,R]] [--per-request V] [--concurrency C]

Runs N confidential ward-stats tasks per runtime through a fresh devnet stack (two workers) and
writes bench/results/e2e.json: tasks, completed, lost, tasksPerMinute, latencyP50Ms, latencyP95Ms
(request accepted by the market to result decrypted by the beneficiary), and more, per runtime
under byRuntime (the first runtime's figures also at the top level).

Options:
  --tasks N          tasks to run per runtime (default 100)
  --runtime R[,R]    python (the demo's ward-stats) and/or node (ward-stats-node); the Node
                     runtime always runs last as the baseline beside the others (default node)
  --per-request V    tasks per request (default 1: one request and one deal per task)
  --concurrency C    requests followed at once (default 4)
  -h, --help         show this help
`;

const { values } = parseArgs({
  // `node scripts/bench/e2e.ts -- --tasks 5` passes the separator npm would have removed.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    tasks: { type: "string", default: "100" },
    runtime: { type: "string", default: "node" },
    "per-request": { type: "string", default: "1" },
    concurrency: { type: "string", default: "4" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const whole = (name: string, text: string) => {
  if (!/^[1-9][0-9]*$/.test(text)) {
    console.error(`--${name} must be a whole number from 1 (see --help)`);
    process.exit(1);
  }
  return Number(text);
};
const named = values.runtime.split(",").map((name) => name.trim());
if (named.some((name) => !(BENCH_RUNTIMES as readonly string[]).includes(name))) {
  console.error(`--runtime takes ${BENCH_RUNTIMES.join(", ")} (see --help)`);
  process.exit(1);
}
const runtimes = [...new Set([...named.filter((name) => name !== "node"), "node"])] as BenchRuntime[];
const result = await runE2eBench({
  tasks: whole("tasks", values.tasks),
  runtimes,
  tasksPerRequest: whole("per-request", values["per-request"]),
  concurrency: whole("concurrency", values.concurrency),
  progress: (line) => console.log(`• ${line}`),
}).catch((error: unknown) => {
  console.error(`bench:e2e failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "e2e.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(formatE2eBench(result));
console.log("\nwritten to bench/results/e2e.json");
process.exit(0);
