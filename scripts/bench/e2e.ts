// End-to-end benchmark (`npm run bench:e2e -- --tasks N [--runtime python] [--chain anvil]
// [--processes]`): N confidential ward-stats tasks per runtime through a fresh stack with two
// workers; writes bench/results/e2e.json, or for another setup than the in-process Hardhat devnet
// e2e-<chain>[-processes].json holding that setup's figures beside the Hardhat in-process baseline
// run in the same command. It reports; it does not fail on speed, only when it cannot run.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isChainNodeKind, CHAIN_NODE_KINDS, type ChainNodeKind } from "../../src/devnet/chainNode.ts";
import { BENCH_RUNTIMES, describeSetup, formatE2eBench, runE2eBench, type BenchRuntime, type E2eBenchReport } from "./e2e/e2eBench.ts";

const HELP = `Usage: npm run bench:e2e -- [--tasks N] [--runtime R[,R]] [--per-request V] [--concurrency C]
                         [--chain hardhat|anvil] [--processes] [--no-feed]

Runs N confidential ward-stats tasks per runtime through a fresh stack (two workers) and writes
bench/results/e2e.json: tasks, completed, lost, tasksPerMinute, latencyP50Ms, latencyP95Ms
(request accepted by the market to result decrypted by the beneficiary), statusReads and
statusPolls (what following the requests cost the market), and more, per runtime under byRuntime
(the first runtime's figures also at the top level).

With --chain anvil or --processes, that setup runs first, then the Hardhat in-process devnet with
the same tasks as the baseline, and both go side by side into
bench/results/e2e-<chain>[-processes].json (the baseline under "baseline").

Options:
  --tasks N          tasks to run per runtime (default 100)
  --runtime R[,R]    python (the demo's ward-stats) and/or node (ward-stats-node); the Node
                     runtime always runs last as the baseline beside the others (default node)
  --per-request V    tasks per request (default 1: one request and one deal per task)
  --concurrency C    requests followed at once (default 4)
  --chain C          the chain node: hardhat (default) or anvil (@foundry-rs/anvil)
  --processes        every service its own OS process, started by its CLI command (market serve,
                     sms serve, gateway serve, workerpool scheduler start, worker start), the
                     protocol deployed by protocol deploy --rpc-url; default: the devnet in one process
  --no-feed          the followers poll the request status instead of following the live feed
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
    chain: { type: "string", default: "hardhat" },
    processes: { type: "boolean", default: false },
    "no-feed": { type: "boolean", default: false },
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
if (!isChainNodeKind(values.chain)) {
  console.error(`--chain takes ${CHAIN_NODE_KINDS.join(" or ")} (see --help)`);
  process.exit(1);
}
const chain: ChainNodeKind = values.chain;
const runtimes = [...new Set([...named.filter((name) => name !== "node"), "node"])] as BenchRuntime[];
const common = {
  tasks: whole("tasks", values.tasks),
  runtimes,
  tasksPerRequest: whole("per-request", values["per-request"]),
  concurrency: whole("concurrency", values.concurrency),
  useFeed: !values["no-feed"],
  progress: (line: string) => console.log(`• ${line}`),
};
const compared = chain !== "hardhat" || values.processes;
const run = async (setup: { chain: ChainNodeKind; processes: boolean }): Promise<E2eBenchReport> =>
  runE2eBench({ ...common, ...setup }).catch((error: unknown) => {
    console.error(`bench:e2e failed (${describeSetup(setup)}): ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
const result = await run({ chain, processes: values.processes });
const baseline = compared ? await run({ chain: "hardhat", processes: false }) : undefined;
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
const file = compared ? `e2e-${chain}${values.processes ? "-processes" : ""}.json` : "e2e.json";
writeFileSync(join(directory, file), `${JSON.stringify(baseline ? { ...result, baseline } : result, null, 2)}\n`);
console.log(`${describeSetup(result.setup)}:\n${formatE2eBench(result)}`);
if (baseline) {
  console.log(`\nbaseline, ${describeSetup(baseline.setup)}, same command:\n${formatE2eBench(baseline)}`);
  console.log(`\n${formatComparison(result, baseline)}`);
}
console.log(`\nwritten to bench/results/${file}`);
process.exit(0);

/** One line per runtime: the setup's tasks/min and p95 beside the baseline's. */
function formatComparison(setup: E2eBenchReport, base: E2eBenchReport): string {
  const rows = Object.entries(setup.byRuntime).map(([runtime, figures]) => {
    const other = base.byRuntime[runtime as BenchRuntime]!;
    const ratio = other.tasksPerMinute > 0 ? (figures!.tasksPerMinute / other.tasksPerMinute).toFixed(2) : "-";
    return `  ${runtime.padEnd(7)} ${describeSetup(setup.setup)}: ${figures!.completed}/${figures!.tasks} completed, ${figures!.lost} lost, ` +
      `${figures!.tasksPerMinute} tasks/min, p95 ${figures!.latencyP95Ms} ms | ${describeSetup(base.setup)}: ${other.completed}/${other.tasks}, ` +
      `${other.lost} lost, ${other.tasksPerMinute} tasks/min, p95 ${other.latencyP95Ms} ms | ratio ${ratio}`;
  });
  return ["side by side:", ...rows].join("\n");
}
