// The market showing which runtimes a workerpool offers: its owner announces its scheduler with
// `continuum workerpool announce` (a real CLI process, a signed PUT), the real market (startMarket on
// the in-process Hardhat chain) reads the real scheduler's GET /v1/info, where a worker registered
// with a python runtime and declared numpy, and serves it on GET /v1/workerpools/{id} and the
// explorer. A stranger, a tampered or unsigned announcement are refused with 4xx; a scheduler that
// does not answer is shown as unreachable with its runtimes unknown, never as a 500.
import { expect } from "chai";
import { join } from "node:path";
import { Wallet } from "ethers";
import { runtimeProfileDigest, type PythonProfile } from "../../../src/apps/index.ts";
import { loadConfig } from "../../../src/config/index.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { createEthereumKeyFile } from "../../../src/crypto/index.ts";
import { devnetPrivateKey } from "../../../src/devnet/devnetKeys.ts";
import { startMarket, type RunningMarket } from "../../../src/market/service/startMarket.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { signAccountRequest } from "../../../src/wire/marketApi/accountRequestSignature.ts";
import { schedulerAnnouncementPath, type WorkerpoolJson, type WorkerpoolSchedulerJson } from "../../../src/wire/marketApi/workerpoolScheduler.ts";
import { startScheduler, type RunningScheduler } from "../../../scheduler/startScheduler.ts";
import { SchedulerClient } from "../../../worker/SchedulerClient.ts";
import { loadProtocol, type Fixture } from "../../helpers/protocolFixture.ts";
import { freePort } from "../../helpers/freePort.ts";
import { until } from "../../helpers/until.ts";
import { PASSWORD, runCli } from "../cli/cliTestKit.ts";

const POOL_OWNER = 3;
const STRANGER = 7;
const HASH = `0x${"ab".repeat(32)}` as const;

const PYTHON_PROFILE: PythonProfile = {
  runtime: "python",
  sandbox: "bwrap-python/1",
  interpreter: { implementation: "CPython", version: "3.11.2", executableSha256: HASH, stdlibSha256: HASH, librariesSha256: HASH },
  packages: [{ name: "numpy", version: "1.24.2", filesSha256: HASH }],
};

describe("workerpool runtimes on the market, from the announced scheduler", function () {
  this.timeout(180_000);
  let f: Fixture;
  let directory: TemporaryDirectory;
  let market: RunningMarket;
  let scheduler: RunningScheduler | undefined;
  const keyFiles = { owner: "", stranger: "" };

  before(async function () {
    f = await loadProtocol();
    expect(new Wallet(devnetPrivateKey(POOL_OWNER)).address).to.equal(f.poolOwner.address);
    expect(new Wallet(devnetPrivateKey(STRANGER)).address).to.equal(f.stranger.address);
    directory = await createTemporaryDirectory("continuum-pool-runtimes-");
    market = await startMarket({
      config: loadConfig({
        env: { CONTINUUM_DATA_DIR: join(directory.path, "market"), CONTINUUM_MARKET_PORT: "0", CONTINUUM_INDEX_INTERVAL_MS: "200" },
        overrides: { market: { schedulerCheckIntervalMs: 300, schedulerCheckTimeoutMs: 1_000 } },
      }),
      provider: f.ethers.provider,
      deployment: f.deployment,
      logger: silentLogger(),
    });
    scheduler = await startScheduler({
      config: loadConfig({
        env: {},
        overrides: { dataDir: join(directory.path, "scheduler"), scheduler: { port: await freePort(), heartbeatIntervalMs: 60_000, indexIntervalMs: 200 } },
      }),
      owner: f.poolOwner,
      provider: f.ethers.provider,
      deployment: f.deployment,
      workerpool: 1n,
      database: { pgliteDir: join(directory.path, "scheduler-db") },
    });
    // A worker offering node and python with numpy declared; live for three heartbeat intervals.
    const worker = new SchedulerClient(scheduler.url, Wallet.createRandom());
    await worker.info();
    await worker.register({
      cpu: 2,
      memoryMb: 2_048,
      tee: true,
      gpu: 0,
      runtimes: [{ runtime: "node" }, { runtime: "python", profile: runtimeProfileDigest(PYTHON_PROFILE), profileDocument: PYTHON_PROFILE as never }],
    });
    keyFiles.owner = join(directory.path, "owner.json");
    keyFiles.stranger = join(directory.path, "stranger.json");
    await createEthereumKeyFile(keyFiles.owner, PASSWORD, { privateKey: devnetPrivateKey(POOL_OWNER), scryptCost: { N: 1_024, r: 8, p: 1 } });
    await createEthereumKeyFile(keyFiles.stranger, PASSWORD, { privateKey: devnetPrivateKey(STRANGER), scryptCost: { N: 1_024, r: 8, p: 1 } });
  });

  after(async function () {
    await scheduler?.close();
    await market?.close();
    await directory?.remove();
  });

  const announce = (keyFile: string, args: readonly string[]) =>
    runCli(["--json", "--data-dir", directory.path, "--key-file", keyFile, "--market-url", market.url, "workerpool", "announce", ...args], {
      env: { CONTINUUM_PASSWORD: PASSWORD },
    });
  const workerpool = async (id: string) => {
    const response = await fetch(`${market.url}/v1/workerpools/${id}`);
    return { status: response.status, body: (await response.json()) as WorkerpoolJson & { error?: { code: string; message: string } } };
  };
  const explorerPage = async () => {
    const page = await until("the explorer's workerpool page", async () => {
      const response = await fetch(`${market.url}/explorer/workerpools/1`);
      return response.status === 200 && (await response.text());
    });
    return page;
  };
  /** A signed PUT as the owner, for `signedUrl`, sent with `sentUrl` in the query. */
  const signedPut = async (signedUrl: string, sentUrl: string, signer: Wallet = new Wallet(devnetPrivateKey(POOL_OWNER))) => {
    const headers = await signAccountRequest(signer, { chainId: f.deployment.chainId, continuum: f.deployment.continuum }, {
      method: "PUT",
      path: schedulerAnnouncementPath(1n, signedUrl),
      timestampMs: Date.now(),
    });
    const response = await fetch(`${market.url}${schedulerAnnouncementPath(1n, sentUrl)}`, { method: "PUT", headers });
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } & Partial<WorkerpoolSchedulerJson> };
  };

  it("announced by the owner with the CLI, shows the runtimes and declared packages its workers offer", async function () {
    const run = await announce(keyFiles.owner, ["--scheduler-url", `${scheduler!.url}/`]);
    expect(run.code, run.stderr).to.equal(0);
    const announced = JSON.parse(run.stdout) as WorkerpoolSchedulerJson & { workerpool: string };
    expect(announced.workerpool, "read from the scheduler's /v1/info").to.equal("1");
    expect(announced.url).to.equal(scheduler!.url);
    expect(announced.announcedBy).to.equal(f.poolOwner.address.toLowerCase());
    expect(announced.status).to.equal("reachable");
    const python = { runtime: "python", profile: runtimeProfileDigest(PYTHON_PROFILE), interpreter: "CPython 3.11.2", packages: [{ name: "numpy", version: "1.24.2" }] };
    expect(announced.runtimes).to.deep.equal([{ runtime: "node", profile: null, interpreter: null, packages: [] }, python]);

    const { status, body } = await workerpool("1");
    expect(status).to.equal(200);
    expect(body.scheduler?.runtimes).to.deep.equal(announced.runtimes);
    await until("the ledger indexed the registration", async () => (await workerpool("1")).body.owner === f.poolOwner.address);
    const page = await explorerPage();
    expect(page).to.include(scheduler!.url);
    expect(page).to.match(/<td>python<\/td><td>CPython 3\.11\.2<\/td>\s*<td>numpy==1\.24\.2<\/td>/);
  });

  it("refuses a stranger's, a tampered and an unsigned announcement with a clear 4xx", async function () {
    const stranger = await announce(keyFiles.stranger, ["--scheduler-url", "http://127.0.0.1:9/", "--workerpool", "1"]);
    expect(stranger.code).to.not.equal(0);
    expect(stranger.stderr).to.include("NOT_WORKERPOOL_OWNER");
    expect(stranger.stderr).to.match(/does not own workerpool 1/);

    const tampered = await signedPut(scheduler!.url, "http://evil.example:8070");
    expect(tampered.status).to.equal(401);
    expect(tampered.body.error?.code).to.equal("ACCOUNT_SIGNATURE_REQUIRED");
    const unsigned = await fetch(`${market.url}${schedulerAnnouncementPath(1n, "http://evil.example:8070")}`, { method: "PUT" });
    expect(unsigned.status).to.equal(401);
    const notHttp = await signedPut("ftp://pool.example", "ftp://pool.example");
    expect(notHttp.status).to.equal(400);
    expect(notHttp.body.error?.code).to.equal("INVALID_SCHEDULER_URL");
    const unregistered = await fetch(`${market.url}${schedulerAnnouncementPath(99n, scheduler!.url)}`, {
      method: "PUT",
      headers: await signAccountRequest(new Wallet(devnetPrivateKey(POOL_OWNER)), { chainId: f.deployment.chainId, continuum: f.deployment.continuum }, {
        method: "PUT",
        path: schedulerAnnouncementPath(99n, scheduler!.url),
        timestampMs: Date.now(),
      }),
    });
    expect(unregistered.status).to.equal(404);

    const { body } = await workerpool("1");
    expect(body.scheduler?.url, "nothing refused replaced the announcement").to.equal(scheduler!.url);
  });

  it("shows a scheduler that does not answer as unreachable, its runtimes unknown, and follows it going away", async function () {
    const closedPort = `http://127.0.0.1:${await freePort()}`;
    const dead = await signedPut(closedPort, closedPort);
    expect(dead.status).to.equal(200);
    expect(dead.body.status).to.equal("unreachable");
    expect(dead.body.runtimes).to.equal(null);
    expect(dead.body.problem).to.be.a("string").and.not.equal("");
    const shown = await workerpool("1");
    expect(shown.status).to.equal(200);
    expect(shown.body.scheduler).to.include({ url: closedPort, status: "unreachable", runtimes: null });
    expect(await explorerPage()).to.include("unreachable: runtimes unknown");

    // Announced again, then stopped: the market's periodic read notices.
    expect((await signedPut(scheduler!.url, scheduler!.url)).body.status).to.equal("reachable");
    await scheduler!.close();
    scheduler = undefined;
    const gone = await until("the stopped scheduler seen as unreachable", async () => {
      const { body } = await workerpool("1");
      return body.scheduler?.status === "unreachable" && body.scheduler;
    });
    expect(gone.runtimes).to.equal(null);
  });
});
