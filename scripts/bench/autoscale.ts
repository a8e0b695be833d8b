// Autoscale benchmark (`npm run bench:autoscale -- [--tasks N] [--min 1] [--max 8] [--window 15s] [--launcher process]`):
// a burst of confidential tasks, then nothing, on fixed fleets of min and max workers and on the
// autoscaled fleet; writes bench/results/autoscale.json and autoscale.svg (workers and queue depth
// over time). It reports; it fails only when it cannot run or a task is lost.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parseDurationMs } from "../../src/cli/arguments.ts";
import { formatAutoscaleBench, runAutoscaleBench } from "./autoscale/autoscaleBench.ts";
import { timelineSvg } from "./autoscale/autoscaleSvg.ts";

const HELP = `Usage: npm run bench:autoscale -- [--tasks N] [--min N] [--max N] [--window D] [--interval D] [--launcher K]

Runs the same burst of N confidential ward-stats tasks (one deal) on a fixed fleet of min workers,
a fixed fleet of max workers and an autoscaled fleet (target 1 task per worker, tolerance 0.1),
then waits for the autoscaled fleet to return to min. Writes bench/results/autoscale.json and
bench/results/autoscale.svg.

Options:
  --tasks N      tasks in the burst (default 40)
  --min N        fewest workers (default 1)
  --max N        most workers (default 8)
  --window D     scale-down stabilisation window (default 15s; 5m in production)
  --interval D   pause between readings of the queue (default 500ms)
  --launcher K   process: each worker its own \`continuum worker start\` process, as
                 \`workerpool autoscale\` runs them (default); in-process: Workers in this process
  -h, --help     show this help
`;

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    tasks: { type: "string", default: "40" },
    min: { type: "string", default: "1" },
    max: { type: "string", default: "8" },
    window: { type: "string", default: "15s" },
    interval: { type: "string", default: "500ms" },
    launcher: { type: "string", default: "process" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const whole = (name: string, text: string, min: number) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be a whole number from ${min}, got "${text}"`);
  return value;
};
const policy = {
  min: whole("min", values.min, 0),
  max: whole("max", values.max, 1),
  target: 1,
  tolerance: 0.1,
  scaleDownWindowMs: parseDurationMs(values.window),
  slackThresholdSeconds: 60,
};
if (policy.min > policy.max) throw new Error("--min must not exceed --max");
if (values.launcher !== "process" && values.launcher !== "in-process") throw new Error(`--launcher is process or in-process, got "${values.launcher}"`);

const result = await runAutoscaleBench({
  tasks: whole("tasks", values.tasks, 1),
  policy,
  intervalMs: parseDurationMs(values.interval),
  launcher: values.launcher,
  progress: (line) => console.log(line),
});
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "autoscale.json"), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  join(directory, "autoscale.svg"),
  timelineSvg(result.autoscaled.timeline, policy, `Autoscaled workers (${policy.min}..${policy.max}) and waiting tasks: a burst of ${result.tasks} tasks`),
);
console.log(`\n${formatAutoscaleBench(result)}`);
console.log("\nwritten to bench/results/autoscale.json and bench/results/autoscale.svg");
if (result.autoscaled.lost + result.fixedMin.lost + result.fixedMax.lost > 0) process.exitCode = 1;
