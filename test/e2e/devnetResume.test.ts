// A second start on the same data directory resumes the devnet: the chain replays to the same
// blocks, the market still serves the earlier deal from its kept database, and a new request on
// the earlier orders completes — so the SMS, kept with its master key, still releases the dataset
// key pushed before the restart. A SIGKILLed `npm start` resumes the same way.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Contract, JsonRpcProvider } from "ethers";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import { startDevnet, type Devnet, type DevnetOptions } from "../../src/devnet/startDevnet.ts";
import { prepareEHealthMarket, submitEHealthRequest, type EHealthMarket } from "../../src/demo/eHealthMarket.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../src/persistence/testing/index.ts";
import { silentLogger } from "../../src/core/logger.ts";
import type { WorkerpoolJson } from "../../src/wire/marketApi/workerpoolScheduler.ts";
import { freePort } from "../helpers/freePort.ts";

const SCRIPT = join(import.meta.dirname, "../../scripts/devnet.ts");

function runDevnetScript(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<unknown> } {
  const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { child, output: () => output, exited: new Promise((resolve) => child.once("exit", resolve)) };
}

async function waitForOutput(run: { output: () => string }, text: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!run.output().includes(text)) {
    if (Date.now() > until) throw new Error(`timed out waiting for "${text}"; output so far:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function blockHashes(provider: JsonRpcProvider, head: number): Promise<string[]> {
  const hashes: string[] = [];
  for (let n = 0; n <= head; n++) hashes.push((await provider.getBlock(n))!.hash!);
  return hashes;
}

async function head(url: string): Promise<number> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }) });
  return Number(((await response.json()) as { result: string }).result);
}

/** Submits a request through REST and waits for its deal's task; returns the deal id and the watch output. */
async function completeRequest(market: EHealthMarket): Promise<{ dealId: string; watched: string }> {
  const hash = await submitEHealthRequest(market);
  const watched = await market.cli.json("healthDepartment", ["request", "watch", hash, "--timeout", "3m", "--interval", "1s"]);
  const deals = (watched.deals ?? (watched.status as Record<string, unknown> | undefined)?.deals) as { dealId: string }[];
  return { dealId: deals[0].dealId, watched: JSON.stringify(watched) };
}

describe("devnet resume (second start on the same data directory)", function () {
  this.timeout(400_000);
  let dataDir: TemporaryDirectory;
  let devnet: Devnet | undefined;
  before(async () => {
    dataDir = await createTemporaryDirectory("devnet-resume-");
  });
  after(async () => {
    await devnet?.close();
    await dataDir.remove();
  });

  it("keeps the chain, the deal, the SMS's secrets, the keys and the workerpool across a restart", async () => {
    const options: DevnetOptions = {
      dataDir: dataDir.path,
      rpcPort: await freePort(),
      marketPort: await freePort(),
      smsPort: await freePort(),
      gatewayPort: await freePort(),
      collateralPort: await freePort(),
      schedulerPort: await freePort(),
      logger: silentLogger(),
    };
    const lines: string[] = [];
    devnet = await startDevnet({ ...options, progress: (line) => lines.push(line) });
    expect(devnet.resumedAtBlock).to.equal(undefined);
    expect(lines.join("\n")).to.include("fresh chain");
    const market = await prepareEHealthMarket({
      dataDir: dataDir.path, marketUrl: devnet.endpoints.marketUrl, smsUrl: devnet.endpoints.smsUrl,
      workerpool: devnet.compute!.workerpool, workDir: join(dataDir.path, "demo"), days: 2,
    });
    const first = await completeRequest(market);
    const firstRun = {
      head: await head(devnet.rpcUrl),
      workerpool: devnet.compute!.workerpool,
      trustedRoot: devnet.attestation.dcap.rootCertificatePem,
      masterKey: await readFile(join(dataDir.path, "sms", "master.key"), "utf8"),
      deployment: devnet.deployment,
    };
    const hashes = await blockHashes(devnet.provider, firstRun.head);
    const token = new Contract(devnet.deployment.token, loadArtifact("DevnetToken").abi as never, devnet.provider);
    const balances = await Promise.all(devnet.accounts.map((account) => token.balanceOf(account.address)));
    await devnet.close();
    devnet = undefined;

    const started = Date.now();
    lines.length = 0;
    devnet = await startDevnet({ ...options, progress: (line) => lines.push(line) });
    console.log(`      resumed ${firstRun.head} blocks in ${Date.now() - started} ms (whole stack)`);
    expect(devnet.resumedAtBlock).to.equal(firstRun.head);
    expect(lines.join("\n")).to.include(`resumed chain at block ${firstRun.head} from ${dataDir.path}`);
    expect(devnet.deployment).to.deep.equal(firstRun.deployment);
    expect(devnet.compute!.workerpool).to.equal(firstRun.workerpool);
    expect(devnet.attestation.dcap.rootCertificatePem).to.equal(firstRun.trustedRoot);
    expect(await readFile(join(dataDir.path, "sms", "master.key"), "utf8")).to.equal(firstRun.masterKey);
    expect(await blockHashes(devnet.provider, firstRun.head)).to.deep.equal(hashes);
    const resumedToken = new Contract(devnet.deployment.token, loadArtifact("DevnetToken").abi as never, devnet.provider);
    expect(await Promise.all(devnet.accounts.map((account) => resumedToken.balanceOf(account.address)))).to.deep.equal(balances);

    const deals = await (await fetch(`${devnet.endpoints.marketUrl}/v1/deals`)).text();
    expect(deals).to.include(first.dealId);
    // The resumed devnet announced its scheduler again: the market read the runtimes its workers offer.
    const pool = (await (await fetch(`${devnet.endpoints.marketUrl}/v1/workerpools/${devnet.compute!.workerpool}`)).json()) as WorkerpoolJson;
    expect(pool.scheduler).to.include({ url: devnet.endpoints.schedulerUrl, status: "reachable" });
    expect(pool.scheduler!.runtimes!.map((offer) => offer.runtime)).to.include("node");

    // The orders, the dataset and its key in the SMS all date from before the restart.
    const second = await completeRequest(market);
    expect(second.dealId).to.not.equal(first.dealId);
    const tasks = (await (await fetch(`${devnet.endpoints.marketUrl}/v1/deals/${second.dealId}/tasks`)).json()) as unknown;
    expect(JSON.stringify(tasks)).to.match(/"status":"completed"/i);
    expect(await head(devnet.rpcUrl)).to.be.greaterThan(firstRun.head);
  });

  it("resumes after `npm start --no-demo` was killed with SIGKILL", async () => {
    const crashDir = await createTemporaryDirectory("devnet-crash-");
    const ports = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    const args = ["--no-demo", "--data-dir", crashDir.path, "--port", String(ports[0]), "--market-port", String(ports[1]), "--sms-port", String(ports[2]), "--gateway-port", String(ports[3]), "--scheduler-port", String(ports[4])];
    const rpcUrl = `http://127.0.0.1:${ports[0]}`;
    let run = runDevnetScript(args);
    try {
      await waitForOutput(run, "Press Ctrl-C to stop.", 150_000);
      expect(run.output()).to.include("fresh chain");
      const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
      const [first, second] = await provider.listAccounts();
      await (await first.sendTransaction({ to: second.address, value: 12345n })).wait();
      const crashedHead = await head(rpcUrl);
      const hash = (await provider.getBlock(crashedHead))!.hash;
      provider.destroy();
      run.child.kill("SIGKILL");
      await run.exited;

      run = runDevnetScript(args);
      await waitForOutput(run, "Press Ctrl-C to stop.", 150_000);
      expect(run.output()).to.include(`resumed chain at block ${crashedHead} from ${crashDir.path}`);
      const resumed = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
      expect((await resumed.getBlock(crashedHead))!.hash).to.equal(hash);
      resumed.destroy();
      run.child.kill("SIGINT");
      expect(await run.exited).to.equal(0);
    } finally {
      run.child.kill("SIGKILL");
      await crashDir.remove();
    }
  });
});
