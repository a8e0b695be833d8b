// Specification of the app process watchdog, with real child processes: every limit breach kills
// the whole process group promptly and settles with its own code; clean exits resolve.
import { expect } from "chai";
import { join } from "node:path";
import { runAppProcess, type AppProcessSpec } from "../../../enclave/sandbox/runAppProcess.ts";
import { expectEnclaveError, isAlive, makeDirs, makeTempDir, readPids, removeDir } from "./enclaveTestKit.ts";

const MIB = 1024 * 1024;

describe("runAppProcess", () => {
  let root: string;
  let output: string;
  beforeEach(async () => {
    root = await makeTempDir();
    [output] = await makeDirs(root, "output");
  });
  afterEach(async () => removeDir(root));

  function spec(script: string, overrides: Partial<AppProcessSpec> = {}, nodeFlags: string[] = []): AppProcessSpec {
    return {
      launch: { command: process.execPath, args: [...nodeFlags, "-e", script] },
      env: { OUT: output },
      cwd: output,
      timeLimitMs: 10_000,
      memoryBytes: 512 * MIB,
      watchMemory: true,
      outputDirectory: output,
      maxOutputBytes: 16 * MIB,
      ...overrides,
    };
  }

  it("resolves for an app that exits 0, with its duration and peak memory", async () => {
    const report = await runAppProcess(spec("setTimeout(() => {}, 300)"));
    expect(report.durationMs).to.be.at.least(250);
    expect(report.peakResidentBytes).to.be.greaterThan(1 * MIB);
  });

  it("fails with APP_FAILED and the exit code for a non-zero exit", async () => {
    const error = await expectEnclaveError(runAppProcess(spec("process.exit(3)")), "APP_FAILED");
    expect(error.details).to.include({ exitCode: 3, signal: null });
  });

  it("fails with APP_FAILED for an uncaught exception", async () => {
    const error = await expectEnclaveError(runAppProcess(spec("throw new Error('boom')")), "APP_FAILED");
    expect(error.details).to.include({ exitCode: 1 });
  });

  it("fails with APP_FAILED when the program cannot be started", async () => {
    await expectEnclaveError(runAppProcess({ ...spec("0"), launch: { command: join(root, "no-such-binary"), args: [] } }), "APP_FAILED");
  });

  it("kills an app that runs past its time limit, with everything it started, as APP_TIMEOUT", async () => {
    const script = `
      const { spawn } = require("node:child_process");
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      require("node:fs").writeFileSync(process.env.OUT + "/pids", process.pid + " " + child.pid);
      for (;;) {}`;
    const startedAt = Date.now();
    await expectEnclaveError(runAppProcess(spec(script, { timeLimitMs: 1_000 })), "APP_TIMEOUT");
    expect(Date.now() - startedAt).to.be.below(4_000);
    const pids = await readPids(join(output, "pids"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pids.filter(isAlive)).to.deep.equal([]);
  });

  it("kills an app whose resident memory passes the limit as MEMORY_EXCEEDED", async () => {
    const script = "const kept = []; setInterval(() => kept.push(Buffer.alloc(16 * 1024 * 1024, 1)), 20)";
    await expectEnclaveError(runAppProcess(spec(script, { memoryBytes: 128 * MIB })), "MEMORY_EXCEEDED");
  });

  it("reports an app that exhausts its V8 heap as MEMORY_EXCEEDED", async () => {
    const script = "const kept = []; for (;;) kept.push({ value: Math.random(), list: [1, 2, 3] })";
    await expectEnclaveError(
      runAppProcess(spec(script, { watchMemory: false }, ["--max-old-space-size=64"])),
      "MEMORY_EXCEEDED",
    );
  });

  it("kills an app that keeps writing past the output limit as OUTPUT_TOO_LARGE", async () => {
    const script = `
      const fs = require("node:fs");
      let n = 0;
      setInterval(() => fs.writeFileSync(process.env.OUT + "/part" + n++, Buffer.alloc(512 * 1024)), 5);`;
    await expectEnclaveError(runAppProcess(spec(script, { maxOutputBytes: 2 * MIB })), "OUTPUT_TOO_LARGE");
  });

  it("kills the app when the task is cancelled, as CANCELLED", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expectEnclaveError(runAppProcess(spec("setInterval(() => {}, 1000)", { signal: controller.signal })), "CANCELLED");
  });

  it("gives the app only the environment it is handed", async () => {
    process.env.CONTINUUM_TEST_HOST_VARIABLE = "host secret";
    try {
      await runAppProcess(spec("require('node:fs').writeFileSync(process.env.OUT + '/env', JSON.stringify(Object.keys(process.env)))"));
    } finally {
      delete process.env.CONTINUUM_TEST_HOST_VARIABLE;
    }
    const { readFile } = await import("node:fs/promises");
    expect(JSON.parse(await readFile(join(output, "env"), "utf8"))).to.deep.equal(["OUT"]);
  });
});
