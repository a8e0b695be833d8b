// `npm start` as a newcomer meets it: the devnet script starts a real Hardhat node, deploys and
// seeds the protocol, writes the deployment, and stops cleanly on SIGINT; a busy port is refused
// with a message that names it.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { JsonRpcProvider, Contract } from "ethers";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import { createTemporaryDirectory } from "../../src/persistence/testing/index.ts";

const SCRIPT = join(import.meta.dirname, "../../scripts/devnet.ts");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function runDevnet(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting; output so far:\n${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("devnet (npm start)", function () {
  this.timeout(120_000);

  it("deploys and seeds the protocol, serves JSON-RPC, and stops on SIGINT", async () => {
    const port = await freePort();
    const dataDir = await createTemporaryDirectory("devnet-");
    const devnet = runDevnet(["--port", String(port), "--data-dir", dataDir.path]);
    try {
      await waitFor(() => devnet.output().includes("Press Ctrl-C to stop."), 90_000, devnet.output);
      const deployment = JSON.parse(readFileSync(join(dataDir.path, "deployment.json"), "utf8"));
      expect(deployment.rpcUrl).to.equal(`http://127.0.0.1:${port}`);
      expect(devnet.output()).to.include(deployment.continuum);

      const provider = new JsonRpcProvider(deployment.rpcUrl, undefined, { staticNetwork: true });
      const continuum = new Contract(deployment.continuum, loadArtifact("Continuum").abi as never, provider);
      const token = new Contract(deployment.token, loadArtifact("DevnetToken").abi as never, provider);
      const [first] = await provider.listAccounts();
      expect(await token.balanceOf(first.address)).to.be.greaterThan(0n);
      const { name, maxRunTime } = await continuum.categoryOf(1n);
      expect(name).to.equal("S");
      expect(maxRunTime).to.equal(60n);
      provider.destroy();

      devnet.child.kill("SIGINT");
      expect(await devnet.exited).to.equal(0);
    } finally {
      devnet.child.kill("SIGKILL");
      await dataDir.remove();
    }
  });

  it("refuses a busy port with a message naming it", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const devnet = runDevnet(["--port", String(port)]);
      expect(await devnet.exited).to.equal(1);
      expect(devnet.output()).to.match(new RegExp(`${port}.*(in use|busy)|(in use|busy).*${port}`, "i"));
      expect(devnet.output()).not.to.match(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });

  it("prints help and refuses a bad port", async () => {
    const help = runDevnet(["--help"]);
    expect(await help.exited).to.equal(0);
    expect(help.output()).to.include("--data-dir");
    const bad = runDevnet(["--port", "99999"]);
    expect(await bad.exited).to.equal(1);
    expect(bad.output()).to.include("--port must be");
  });
});
