// `continuum app init` and `continuum app run` through the real CLI process: each runtime's
// scaffold runs as written in the worker's sandbox, ward-stats runs on local input with params,
// and the sandbox's refusals reach the developer as error codes.
import { expect } from "chai";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { runCli } from "./cliTestKit.ts";

const WARD_STATS = join(import.meta.dirname, "../../../examples/apps/ward-stats");

describe("continuum app init / app run", function () {
  this.timeout(120_000);
  let dir: TemporaryDirectory;
  beforeEach(async () => {
    dir = await createTemporaryDirectory("continuum-app-develop-");
  });
  afterEach(async () => dir.remove());

  async function json(args: string[]): Promise<Record<string, any>> {
    const run = await runCli(["--json", "--data-dir", join(dir.path, "data"), ...args]);
    expect(run.code, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as Record<string, any>;
  }

  for (const runtime of ["python", "node", "wasi"] as const) {
    it(`scaffolds a ${runtime} app that runs on its example input in the sandbox`, async () => {
      const app = join(dir.path, `my-${runtime}`);
      const init = await json(["app", "init", app, "--runtime", runtime]);
      expect(init).to.include({ runtime, name: `my-${runtime}` });
      const run = await json(["app", "run", app, "--input", join(app, "example-input"), "--output", join(dir.path, "out")]);
      expect(run).to.deep.include({ app: `my-${runtime}`, runtime });
      expect(run.isolation.networkIsolated).to.equal(true);
      if (runtime === "wasi") {
        expect(run.files).to.deep.equal(["lines.txt"]);
        expect(await readFile(join(dir.path, "out", "lines.txt"), "utf8")).to.equal("3\n");
      } else {
        expect(run.files).to.deep.equal(["summary.json"]);
        const summary = JSON.parse(await readFile(join(dir.path, "out", "summary.json"), "utf8"));
        expect(summary.files).to.deep.equal([{ name: "dataset", bytes: 76, lines: 3 }]);
      }
    });
  }

  it("runs the Python ward-stats on local input with the task params", async () => {
    const input = join(dir.path, "in");
    await mkdir(input);
    await writeFile(join(input, "vitals.csv"), "ward,day,patient,heartRate,systolic,spo2,temperature\nicu,d1,p1,130,120,95,37\n");
    const run = await json(["app", "run", WARD_STATS, "--input", input, "--output", join(dir.path, "out"), "--params", '{"thresholds":{"heartRate":{"max":140}}}']);
    expect(run.files).to.deep.equal(["ward-stats.json"]);
    const stats = JSON.parse(await readFile(join(dir.path, "out", "ward-stats.json"), "utf8"));
    expect(stats.totals).to.deep.equal({ readings: 1, anomalousReadings: 0, anomalousShare: 0, skippedRows: 0 });
  });

  it("reports an app stopped by the sandbox with the enclave's error code", async () => {
    const app = join(dir.path, "greedy");
    await json(["app", "init", app, "--runtime", "python"]);
    await writeFile(join(app, "main.py"), "blob = bytearray(1024 * 1024 * 1024)\n");
    const run = await runCli(["--data-dir", join(dir.path, "data"), "app", "run", app, "--input", join(app, "example-input"), "--output", join(dir.path, "out")]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("MEMORY_EXCEEDED");
  });

  it("refuses to scaffold into a directory that is not empty", async () => {
    const app = join(dir.path, "taken");
    await mkdir(app);
    await writeFile(join(app, "file"), "x");
    const run = await runCli(["--data-dir", join(dir.path, "data"), "app", "init", app, "--runtime", "node"]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain("DIRECTORY_NOT_EMPTY");
  });
});
