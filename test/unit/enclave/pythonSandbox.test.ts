// Specification of the bubblewrap sandbox around a "python" app, with the real interpreter in the
// real sandbox: each way out (files outside the grant, writes outside the output, the network,
// child processes past the limit, memory past the budget) is tried by the app itself and must fail,
// while what the app is granted (its bundle, input, secrets, vendored packages) works.
import { expect } from "chai";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import type { AppManifest } from "../../../src/apps/index.ts";
import { runtimeLaunchers } from "../../../enclave/launchers/runtimeLaunchers.ts";
import { planIsolation, runApp, type AppDirectories } from "../../../enclave/runApp.ts";
import { probeSandboxCapabilities, type SandboxCapabilities } from "../../../enclave/sandbox/sandboxCapabilities.ts";
import { expectEnclaveError, makeDirs, makeTempDir, removeDir } from "./enclaveTestKit.ts";

const PYTHON = "/usr/bin/python3";
const MANIFEST: AppManifest = { name: "probe", version: "1.0.0", description: "Sandbox probe.", runtime: "python", entrypoint: "main.py" };
const LIMITS = { memoryMb: 256, maxOutputBytes: 1024 * 1024, maxOutputFiles: 100, maxProcesses: 16, timeLimitMs: 20_000 };

/** Python lines that define report(value) and attempt(action) for the probes below. */
const REPORT = `
import json, os, sys
def report(value):
    with open(os.path.join(os.environ["CONTINUUM_OUTPUT"], "report.json"), "w") as out:
        json.dump(value, out)
def attempt(action):
    try:
        action()
        return "allowed"
    except OSError as error:
        return type(error).__name__
`;

describe("python app sandbox (bubblewrap)", function () {
  this.timeout(60_000);
  const launcher = runtimeLaunchers({ nodePath: process.execPath, python: { interpreter: PYTHON } }).python;
  let root: string;
  let directories: AppDirectories;
  let capabilities: SandboxCapabilities;
  before(async function () {
    capabilities = await probeSandboxCapabilities(process.execPath);
    const reason = await launcher.unavailableReason();
    expect(reason, "the python sandbox must work on this machine (bubblewrap, util-linux, /usr/bin/python3, root)").to.equal(undefined);
  });
  beforeEach(async () => {
    root = await makeTempDir();
    const [bundle, input, secrets, output] = await makeDirs(root, "bundle", "input", "secrets", "output");
    directories = { bundle, input, secrets, output };
    await writeFile(join(secrets, "token"), "s3cret", { mode: 0o600 });
    await writeFile(join(input, "dataset"), "ward,day\nicu,1\n");
    await writeFile(join(root, "host-secret.txt"), "not for apps");
  });
  afterEach(async () => removeDir(root));

  async function run(source: string, options: { networkIsolation?: "when-available" | "off"; limits?: Partial<typeof LIMITS> } = {}) {
    await writeFile(join(directories.bundle, "main.py"), source);
    const isolation = await planIsolation(launcher, capabilities, options.networkIsolation ?? "when-available");
    return runApp({
      manifest: MANIFEST,
      launcher,
      directories,
      environment: { CONTINUUM_OUTPUT: directories.output, CONTINUUM_INPUT: directories.input },
      limits: { ...LIMITS, ...options.limits },
      isolation,
    });
  }

  async function runProbe(source: string, options?: Parameters<typeof run>[1]): Promise<Record<string, unknown>> {
    await run(`${REPORT}\n${source}`, options);
    return JSON.parse(await readFile(join(directories.output, "report.json"), "utf8")) as Record<string, unknown>;
  }

  it("passes the input and output directories as arguments and runs as an unprivileged uid without capabilities", async () => {
    const report = await runProbe(`
status = open("/proc/self/status").read()
report({"argv": sys.argv[1:], "uid": os.getuid(), "capEff": [l.split()[1] for l in status.splitlines() if l.startswith("CapEff")][0],
        "noNewPrivs": [l.split()[1] for l in status.splitlines() if l.startswith("NoNewPrivs")][0]})`);
    expect(report.argv).to.deep.equal(["--input", directories.input, "--output", directories.output]);
    expect(report.uid).to.be.above(0);
    expect(report).to.include({ capEff: "0000000000000000", noNewPrivs: "1" });
  });

  it("lets the app read its input, secrets and bundle, and nothing else on the host", async () => {
    const report = await runProbe(`
read = lambda path: (lambda: open(path, "rb").read())
report({
    "input": attempt(read(${JSON.stringify(join(directories.input, "dataset"))})),
    "secrets": attempt(read(${JSON.stringify(join(directories.secrets, "token"))})),
    "bundle": attempt(read(${JSON.stringify(join(directories.bundle, "main.py"))})),
    "hostFile": attempt(read(${JSON.stringify(join(root, "host-secret.txt"))})),
    "passwd": attempt(read("/etc/passwd")),
    "hostname": attempt(read("/etc/hostname")),
    "root": sorted(os.listdir("/")),
})`);
    expect(report).to.deep.include({
      input: "allowed",
      secrets: "allowed",
      bundle: "allowed",
      hostFile: "FileNotFoundError",
      passwd: "FileNotFoundError",
      hostname: "FileNotFoundError",
    });
    expect(report.root).to.not.include.members(["etc", "home", "root", "var"]);
  });

  it("lets the app write only to its output directory", async () => {
    const report = await runProbe(`
write = lambda path: (lambda: open(path, "w").write("x"))
report({
    "output": attempt(write(os.path.join(os.environ["CONTINUUM_OUTPUT"], "ok.txt"))),
    "input": attempt(write(${JSON.stringify(join(directories.input, "dataset"))})),
    "bundle": attempt(write(${JSON.stringify(join(directories.bundle, "extra.py"))})),
    "secrets": attempt(write(${JSON.stringify(join(directories.secrets, "token"))})),
    "tmp": attempt(write(${JSON.stringify(join(root, "escape"))})),
    "root": attempt(write("/escape")),
    "devShm": attempt(write("/dev/shm/escape")),
})`);
    expect(report).to.deep.equal({
      output: "allowed",
      input: "OSError",
      bundle: "OSError",
      secrets: "OSError",
      tmp: "PermissionError",
      root: "PermissionError",
      devShm: report.devShm === "FileNotFoundError" ? "FileNotFoundError" : "OSError",
    });
    expect(await readFile(join(directories.input, "dataset"), "utf8")).to.equal("ward,day\nicu,1\n");
    await stat(join(root, "host-secret.txt"));
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

    const CONNECT = (port: number) => `
import socket
def connect():
    with socket.create_connection(("127.0.0.1", ${port}), timeout=5) as connection:
        connection.recv(5)
report({"outcome": attempt(connect)})`;

    it("cuts the app off from the network, loopback included", async () => {
      const report = await runProbe(CONNECT(port));
      expect(report.outcome).to.not.equal("allowed");
      expect(connections).to.equal(0);
    });

    it("connects when isolation is turned off, so the test above can fail", async () => {
      const report = await runProbe(CONNECT(port), { networkIsolation: "off" });
      expect(report.outcome).to.equal("allowed");
      expect(connections).to.equal(1);
    });
  });

  it("stops a fork bomb at the process limit", async () => {
    const report = await runProbe(`
import time
children = 0
refusal = None
for _ in range(200):
    try:
        pid = os.fork()
    except OSError as error:
        refusal = type(error).__name__
        break
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    children += 1
report({"children": children, "refusal": refusal})`, { limits: { maxProcesses: 8 } });
    expect(report.refusal).to.equal("BlockingIOError");
    expect(report.children).to.be.below(8);
  });

  it("kills an app allocating past its memory budget as MEMORY_EXCEEDED", async () => {
    await expectEnclaveError(run("blob = bytearray(512 * 1024 * 1024)\n", { limits: { memoryMb: 128 } }), "MEMORY_EXCEEDED");
  });

  it("kills an app running past its time limit as APP_TIMEOUT", async () => {
    await expectEnclaveError(run("while True:\n    pass\n", { limits: { timeLimitMs: 1_500 } }), "APP_TIMEOUT");
  });

  it("stops a file from growing past the output limit as OUTPUT_TOO_LARGE", async () => {
    await expectEnclaveError(
      run(`import os\nopen(os.path.join(os.environ["CONTINUUM_OUTPUT"], "big.bin"), "wb").write(bytes(8 * 1024 * 1024))\n`),
      "OUTPUT_TOO_LARGE",
    );
  });

  it("imports vendored pure-Python packages from the bundle's vendor/ directory, and no host package", async () => {
    await mkdir(join(directories.bundle, "vendor", "greeting"), { recursive: true });
    await writeFile(join(directories.bundle, "vendor", "greeting", "__init__.py"), "WORD = 'hello'\n");
    const report = await runProbe(`
import greeting
def import_host_package():
    import numpy
try:
    import_host_package()
    host = "allowed"
except ImportError:
    host = "ImportError"
report({"vendored": greeting.WORD, "hostPackage": host})`);
    expect(report).to.deep.equal({ vendored: "hello", hostPackage: "ImportError" });
  });

  describe("a declared native package set", () => {
    const withNumpy = runtimeLaunchers({ nodePath: process.execPath, python: { interpreter: PYTHON, packages: { numpy: "1.24.2" } } }).python;
    before(async () => {
      expect(await withNumpy.unavailableReason(), "python3-numpy 1.24.2 (Debian) must be installed").to.equal(undefined);
    });

    it("is importable in the sandbox and changes the runtime profile the measurement binds to", async () => {
      await writeFile(join(directories.bundle, "main.py"), `${REPORT}\nimport numpy\nreport({"numpy": numpy.__version__, "sum": int(numpy.arange(10).sum())})`);
      const isolation = await planIsolation(withNumpy, capabilities, "when-available");
      await runApp({ manifest: MANIFEST, launcher: withNumpy, directories, environment: { CONTINUUM_OUTPUT: directories.output }, limits: LIMITS, isolation });
      expect(JSON.parse(await readFile(join(directories.output, "report.json"), "utf8"))).to.deep.equal({ numpy: "1.24.2", sum: 45 });
      expect(withNumpy.profile()).to.not.deep.equal(launcher.profile());
      expect(withNumpy.unmetRequirement!({ ...MANIFEST, python: { packages: { numpy: "1.24.2" } } })).to.equal(undefined);
      expect(launcher.unmetRequirement!({ ...MANIFEST, python: { packages: { numpy: "1.24.2" } } })).to.contain("numpy==1.24.2");
    });

    it("refuses a worker whose declared version is not the installed one", async () => {
      const wrong = runtimeLaunchers({ nodePath: process.execPath, python: { interpreter: PYTHON, packages: { numpy: "9.9.9" } } }).python;
      expect(await wrong.unavailableReason()).to.contain("numpy==9.9.9");
    });
  });
});
