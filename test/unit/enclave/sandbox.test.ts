// Specification of the sandbox around a "node" app, with real processes: the permission model
// confines files and refuses child processes, the network namespace cuts the network, the file
// size limit stops a runaway write, and the launcher passes the app its directories.
import { expect } from "chai";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import type { AppManifest } from "../../../src/apps/index.ts";
import { runtimeLaunchers } from "../../../enclave/launchers/runtimeLaunchers.ts";
import { planIsolation, runApp, type AppDirectories } from "../../../enclave/runApp.ts";
import { probeSandboxCapabilities, type SandboxCapabilities } from "../../../enclave/sandbox/sandboxCapabilities.ts";
import { expectEnclaveError, makeDirs, makeTempDir, removeDir } from "./enclaveTestKit.ts";

const MANIFEST: AppManifest = { name: "probe", version: "1.0.0", description: "Sandbox probe.", runtime: "node", entrypoint: "main.mjs" };
const LIMITS = { memoryMb: 256, maxOutputBytes: 1024 * 1024, maxOutputFiles: 100, maxProcesses: 32, timeLimitMs: 10_000 };
const launcher = runtimeLaunchers({ nodePath: process.execPath }).node;

describe("node app sandbox", () => {
  let root: string;
  let directories: AppDirectories;
  let capabilities: SandboxCapabilities;
  before(async () => {
    capabilities = await probeSandboxCapabilities(process.execPath);
  });
  beforeEach(async () => {
    root = await makeTempDir();
    const [bundle, input, secrets, output] = await makeDirs(root, "bundle", "input", "secrets", "output");
    directories = { bundle, input, secrets, output };
    await writeFile(join(secrets, "token"), "s3cret");
    await writeFile(join(input, "dataset"), "ward,day\nicu,1\n");
    await writeFile(join(root, "host-secret.txt"), "not for apps");
  });
  afterEach(async () => removeDir(root));

  /** Runs `source` as the app's main.mjs; it reports what it observed into output/report.json. */
  async function runProbe(source: string, networkIsolation: "when-available" | "off" = "when-available") {
    await writeFile(join(directories.bundle, "main.mjs"), source);
    const isolation = await planIsolation(launcher, capabilities, networkIsolation);
    await runApp({ manifest: MANIFEST, launcher, directories, environment: { CONTINUUM_OUTPUT: directories.output }, limits: LIMITS, isolation });
    return JSON.parse(await readFile(join(directories.output, "report.json"), "utf8")) as Record<string, unknown>;
  }

  const REPORT = `
    import { writeFileSync } from "node:fs";
    const report = (value) => writeFileSync(process.env.CONTINUUM_OUTPUT + "/report.json", JSON.stringify(value));
    const attempt = async (action) => { try { await action(); return "allowed"; } catch (error) { return error.code ?? String(error); } };`;

  it("passes the input and output directories as arguments", async () => {
    const report = await runProbe(`${REPORT}
      report({ argv: process.argv.slice(2) });`);
    expect(report.argv).to.deep.equal(["--input", directories.input, "--output", directories.output]);
  });

  it("lets the app read its input, secrets and bundle, and nothing else on the host", async () => {
    const report = await runProbe(`${REPORT}
      import { readFileSync } from "node:fs";
      report({
        input: await attempt(() => readFileSync(${JSON.stringify(join(directories.input, "dataset"))})),
        secrets: await attempt(() => readFileSync(${JSON.stringify(join(directories.secrets, "token"))})),
        bundle: await attempt(() => readFileSync(${JSON.stringify(join(directories.bundle, "main.mjs"))})),
        hostFile: await attempt(() => readFileSync(${JSON.stringify(join(root, "host-secret.txt"))})),
        passwd: await attempt(() => readFileSync("/etc/passwd")),
      });`);
    expect(report).to.deep.equal({
      input: "allowed",
      secrets: "allowed",
      bundle: "allowed",
      hostFile: "ERR_ACCESS_DENIED",
      passwd: "ERR_ACCESS_DENIED",
    });
  });

  it("lets the app write only to its output directory", async () => {
    const report = await runProbe(`${REPORT}
      report({
        input: await attempt(() => writeFileSync(${JSON.stringify(join(directories.input, "dataset"))}, "tampered")),
        bundle: await attempt(() => writeFileSync(${JSON.stringify(join(directories.bundle, "extra.mjs"))}, "x")),
        secrets: await attempt(() => writeFileSync(${JSON.stringify(join(directories.secrets, "token"))}, "x")),
        tmp: await attempt(() => writeFileSync("/tmp/continuum-sandbox-escape", "x")),
      });`);
    expect(report).to.deep.equal({
      input: "ERR_ACCESS_DENIED",
      bundle: "ERR_ACCESS_DENIED",
      secrets: "ERR_ACCESS_DENIED",
      tmp: "ERR_ACCESS_DENIED",
    });
    expect(await readFile(join(directories.input, "dataset"), "utf8")).to.equal("ward,day\nicu,1\n");
  });

  it("refuses child processes and worker threads", async () => {
    const report = await runProbe(`${REPORT}
      import { execFileSync } from "node:child_process";
      import { Worker } from "node:worker_threads";
      report({
        child: await attempt(() => execFileSync("/bin/sh", ["-c", "true"])),
        worker: await attempt(() => new Worker("1", { eval: true })),
      });`);
    expect(report).to.deep.equal({ child: "ERR_ACCESS_DENIED", worker: "ERR_ACCESS_DENIED" });
  });

  describe("network", () => {
    let server: Server;
    let port: number;
    let connections = 0;
    beforeEach(async () => {
      connections = 0;
      server = createServer((socket) => {
        connections += 1;
        socket.on("error", () => undefined);
        socket.end("hello");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterEach(async () => new Promise<void>((resolve) => server.close(() => resolve())));

    const CONNECT = `${REPORT}
      import { connect } from "node:net";
      const outcome = await new Promise((resolve) => {
        const socket = connect(PORT, "127.0.0.1");
        socket.on("connect", () => { socket.destroy(); resolve("connected"); });
        socket.on("error", (error) => resolve(error.code));
      });
      report({ outcome });`;

    it("cuts the app off from the network, loopback included", async function () {
      if (!capabilities.networkNamespace) this.skip();
      const report = await runProbe(CONNECT.replace("PORT", String(port)));
      expect(report.outcome).to.not.equal("connected");
      expect(connections).to.equal(0);
    });

    it("connects when isolation is turned off, so the test above can fail", async () => {
      const report = await runProbe(CONNECT.replace("PORT", String(port)), "off");
      expect(report.outcome).to.equal("connected");
      expect(connections).to.equal(1);
    });
  });

  it("stops a single file from growing past the output limit as OUTPUT_TOO_LARGE", async function () {
    if (!capabilities.resourceLimits) this.skip();
    await writeFile(
      join(directories.bundle, "main.mjs"),
      `import { writeFileSync } from "node:fs";
       writeFileSync(process.env.CONTINUUM_OUTPUT + "/big.bin", Buffer.alloc(8 * 1024 * 1024));`,
    );
    const isolation = await planIsolation(launcher, capabilities, "when-available");
    expect(isolation.fileSizeLimited).to.equal(true);
    await expectEnclaveError(
      runApp({ manifest: MANIFEST, launcher, directories, environment: { CONTINUUM_OUTPUT: directories.output }, limits: LIMITS, isolation }),
      "OUTPUT_TOO_LARGE",
    );
  });

  it("refuses to plan a sandbox that requires network isolation where there is none", async () => {
    await expectEnclaveError(
      planIsolation(launcher, { ...capabilities, networkNamespace: false }, "required"),
      "SANDBOX_UNAVAILABLE",
    );
  });

  it("refuses a Node.js without the permission model", async () => {
    const old = runtimeLaunchers({ nodePath: join(root, "no-such-node") }).node;
    await expectEnclaveError(planIsolation(old, capabilities, "off"), "SANDBOX_UNAVAILABLE");
  });
});
