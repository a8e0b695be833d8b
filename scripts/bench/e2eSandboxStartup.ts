// Sandbox start-up cost per task (`node scripts/bench/e2eSandboxStartup.ts [--runs N]`): for each
// runtime, the wall time of runApp for an app that does nothing (directories handed over, the
// sandbox built, the interpreter started and stopped), beside the same interpreter started bare.
// Medians and 90th percentiles over N runs each; writes bench/results/sandbox-startup.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { encodeModule, op } from "../../examples/wasm/wasmEncoder.ts";
import type { AppManifest, AppRuntime } from "../../src/apps/index.ts";
import { runtimeLaunchers } from "../../enclave/launchers/runtimeLaunchers.ts";
import { planIsolation, runApp } from "../../enclave/runApp.ts";
import { probeSandboxCapabilities } from "../../enclave/sandbox/sandboxCapabilities.ts";
import { percentile } from "./statistics.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "30" } } });
const runs = Number(values.runs);
const PYTHON = "/usr/bin/python3";
const EMPTY_WASM = encodeModule({
  types: [{ params: [], results: [] }],
  imports: [],
  memoryPages: 1,
  data: [],
  exports: [{ name: "_start", function: 0 }],
  functions: [{ type: 0, i32Locals: 0, body: [] }],
});
const APPS: Record<AppRuntime, { file: string; content: string | Uint8Array; bare: [string, string[]] }> = {
  node: { file: "main.mjs", content: "", bare: [process.execPath, ["-e", "0"]] },
  python: { file: "main.py", content: "", bare: [PYTHON, ["-I", "-c", "pass"]] },
  wasi: { file: "main.wasm", content: EMPTY_WASM, bare: [process.execPath, ["--disable-warning=ExperimentalWarning", "-e", "require('node:wasi')"]] },
};

const capabilities = await probeSandboxCapabilities(process.execPath);
const launchers = runtimeLaunchers({ nodePath: process.execPath, python: { interpreter: PYTHON } });
const report: Record<string, unknown> = { runs, cpus: (await import("node:os")).cpus().length, node: process.version };
for (const runtime of Object.keys(APPS) as AppRuntime[]) {
  const app = APPS[runtime];
  const launcher = launchers[runtime];
  const reason = await launcher.unavailableReason();
  if (reason !== undefined) throw new Error(`${runtime}: ${reason}`);
  const manifest: AppManifest = { name: "empty", version: "1.0.0", description: "Does nothing.", runtime, entrypoint: app.file };
  const isolation = await planIsolation(launcher, capabilities, "when-available");
  const sandboxed: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < runs + 1; run += 1) {
    const root = await mkdtemp(join(tmpdir(), "continuum-startup-"));
    const directories = { bundle: join(root, "bundle"), input: join(root, "input"), secrets: join(root, "secrets"), output: join(root, "output") };
    for (const directory of Object.values(directories)) await mkdir(directory);
    await writeFile(join(directories.bundle, app.file), app.content);
    const started = performance.now();
    await runApp({ manifest, launcher, directories, environment: {}, limits: { memoryMb: 256, maxOutputBytes: 1 << 20, maxOutputFiles: 10, maxProcesses: 32, timeLimitMs: 30_000 }, isolation });
    const sandboxMs = performance.now() - started;
    const bareStarted = performance.now();
    execFileSync(app.bare[0], app.bare[1], { env: {} });
    const bareMs = performance.now() - bareStarted;
    await rm(root, { recursive: true, force: true });
    if (run === 0) continue; // the first run warms the page cache
    sandboxed.push(sandboxMs);
    bare.push(bareMs);
  }
  const round = (value: number) => Math.round(value * 10) / 10;
  report[runtime] = {
    sandboxedP50Ms: round(percentile(sandboxed, 50)),
    sandboxedP90Ms: round(percentile(sandboxed, 90)),
    bareP50Ms: round(percentile(bare, 50)),
    sandboxOverheadP50Ms: round(percentile(sandboxed, 50) - percentile(bare, 50)),
  };
}
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "sandbox-startup.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
