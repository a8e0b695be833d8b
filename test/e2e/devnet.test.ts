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
import { freePort } from "../helpers/freePort.ts";
import { createTemporaryDirectory } from "../../src/persistence/testing/index.ts";

const SCRIPT = join(import.meta.dirname, "../../scripts/devnet.ts");


/** The devnet in its own process group, as a shell runs a foreground job, so Ctrl-C can be sent to the whole group. */
function runDevnet(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** What a terminal does on Ctrl-C: SIGINT to every process of the foreground job's group, children included. */
function pressCtrlC(child: ChildProcess): void {
  process.kill(-child.pid!, "SIGINT");
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
}

async function waitFor(predicate: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting; output so far:\n${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("devnet (npm start)", function () {
  this.timeout(200_000);

  it("deploys and seeds the protocol, serves JSON-RPC, and stops on SIGINT", async () => {
    const port = await freePort();
    const dataDir = await createTemporaryDirectory("devnet-");
    const marketPort = await freePort();
    const devnet = runDevnet(["--port", String(port), "--market-port", String(marketPort), "--sms-port", String(await freePort()), "--gateway-port", String(await freePort()), "--scheduler-port", String(await freePort()), "--data-dir", dataDir.path]);
    try {
      await waitFor(() => devnet.output().includes("Press Ctrl-C to stop."), 150_000, devnet.output);
      // npm start plays the e-Health demo through the whole stack before it settles.
      expect(devnet.output()).to.include("e-Health demo complete");
      expect(devnet.output()).to.match(/icu\s+\d+\s+\d+/);
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

      expect(devnet.output()).to.include(`http://127.0.0.1:${marketPort}/v1`);
      const health = await fetch(`http://127.0.0.1:${marketPort}/health`);
      expect(health.status).to.equal(200);
      const openApi = (await (await fetch(`http://127.0.0.1:${marketPort}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(openApi.paths).to.have.property("/v1/requests");
      const smsUrl = /SMS\s+(http:\S+)\/v1/.exec(devnet.output())?.[1];
      expect((await fetch(`${smsUrl}/health`)).status).to.equal(200);
      const gatewayUrl = /IPFS gateway\s+(http:\S+)\/ipfs/.exec(devnet.output())?.[1];
      const badCid = await fetch(`${gatewayUrl}/ipfs/not-a-cid`);
      expect(badCid.status).to.equal(400);
      const schedulerUrl = /scheduler\s+(http:\S+)\/v1/.exec(devnet.output())?.[1];
      expect((await fetch(`${schedulerUrl}/v1/info`)).status).to.equal(200);

      // The summary reads as people read it: no console.table grid, the token's unit, every
      // account's key under a warning, the part each account plays.
      const output = devnet.output();
      expect(output).not.to.include("(index)");
      expect(output).to.match(new RegExp(`token\\s+${deployment.token}\\s+CTD, 18 decimals`));
      expect(output).to.include("test accounts: #0 to #9 funded with 1,000,000 CTD each");
      expect(output).to.include("WARNING: these are Hardhat's public test keys");
      expect(output).to.match(new RegExp(`#0\\s+${first.address}\\s+deployer and owner of the protocol\n\\s+key 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80`));
      expect(output).to.match(/#3 +0x90F79bf6EB2c4f870365E785982E1f101E93b906 +owner of workerpool 1: its scheduler signs .*; the demo's compute provider/);
      expect(output).to.match(/#4 +0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 +the demo's health department\n +key 0x[0-9a-f]{64}/);
      expect(output).to.match(/#5 +0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc +worker 1 of workerpool 1/);
      expect(output).to.match(/#6 +0x976EA74026E726554dB657fA54763abd0C3a0aa9 +worker 2 of workerpool 1/);
      expect(output).to.match(/#19 +0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199 +the market's matcher/);
      // The demo's auditor's view: amounts in CTD, parties by role, links that open the explorer's pages.
      const auditorsView = output.slice(output.indexOf("auditor's view"), output.indexOf("Press Ctrl-C to stop."));
      expect(auditorsView).to.match(/app paid +1 CTD +health department \(#4\) → app developer \(#1\)/);
      expect(auditorsView).to.match(/score \d+\.\d\d %/);
      expect(auditorsView.replace(/0x[0-9a-fA-F]+/g, "0x…"), "no amount in base units").not.to.match(/\d{12,}/);
      const links = [...auditorsView.matchAll(/http:\/\/127\.0\.0\.1:\d+\/explorer\/(deals\/0x[0-9a-f]{64}|workerpools\/1)\b/g)].map((found) => found[0]);
      expect(links.map((link) => link.replace(/0x[0-9a-f]{64}/, "<deal>"))).to.deep.equal([
        `http://127.0.0.1:${marketPort}/explorer/deals/<deal>`,
        `http://127.0.0.1:${marketPort}/explorer/workerpools/1`,
      ]);
      for (const link of links) expect((await fetch(link)).status, link).to.equal(200);

      pressCtrlC(devnet.child);
      expect(await devnet.exited).to.equal(0);
      // Every service stops before the chain it reads: no warning, error or stack trace on the way out.
      const shutdown = devnet.output().slice(devnet.output().indexOf("stopping ..."));
      expect(shutdown, shutdown).not.to.match(/"level":(4|5|6)0/);
      expect(shutdown, shutdown).not.to.match(/\n\s+at |\\n\s+at /);
    } finally {
      killGroup(devnet.child);
      await dataDir.remove();
    }
  });

  it("refuses a busy port with a message naming it", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const devnet = runDevnet(["--port", String(port), "--market-port", String(await freePort()), "--sms-port", String(await freePort()), "--gateway-port", String(await freePort()), "--scheduler-port", String(await freePort())]);
      expect(await devnet.exited).to.equal(1);
      expect(devnet.output()).to.match(new RegExp(`${port}.*(in use|busy)|(in use|busy).*${port}`, "i"));
      expect(devnet.output()).not.to.match(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });

  it("prints help and refuses a bad port or an unknown chain node", async () => {
    const help = runDevnet(["--help"]);
    expect(await help.exited).to.equal(0);
    expect(help.output()).to.include("--data-dir");
    expect(help.output()).to.include("--chain <node>");
    const bad = runDevnet(["--port", "99999"]);
    expect(await bad.exited).to.equal(1);
    expect(bad.output()).to.include("--port must be");
    const unknown = runDevnet(["--chain", "geth"]);
    expect(await unknown.exited).to.equal(1);
    expect(unknown.output()).to.include('--chain must be one of hardhat, anvil, got "geth"');
  });
});
