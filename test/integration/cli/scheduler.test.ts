// A provider's scheduler and worker as real `continuum` processes against the real devnet (Hardhat
// node, market with matcher, SMS trusting the devnet's attestation authority, Helia with its
// gateway): the worker registers, one confidential task runs from request to decrypted result,
// and both stop cleanly on SIGINT; with the refusals a provider meets on the way.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { packBundle } from "../../../src/apps/index.ts";
import { loadEthereumKeyFile } from "../../../src/crypto/index.ts";
import { HeliaContentStore } from "../../../src/storage/index.ts";
import { signWorkerRequest } from "../../../src/wire/workerApi/workerRequestSignature.ts";
import { generateWardVitals, wardVitalsToCsv } from "../../../examples/datasets/wardVitals.ts";
import { spawnCli, type CliProcess } from "./cliProcess.ts";
import { freePort } from "../../helpers/freePort.ts";
import { errorLine, FAST_KDF, PASSWORD, runCli } from "./cliTestKit.ts";
import { startAuditServer, startMarketDevnet, type AuditServer, type MarketDevnet } from "./marketKit.ts";

const WARD_STATS = join(import.meta.dirname, "../../../examples/apps/ward-stats-node");
const PARAMS = '{"thresholds":{"spo2":{"min":91}}}';

describe("continuum workerpool scheduler and worker", function () {
  this.timeout(300_000);
  let m: MarketDevnet;
  let pool: string;
  let workerKeyFile: string;
  let workerAddress: string;
  let scheduler: CliProcess | undefined;
  let worker: CliProcess | undefined;
  let schedulerUrl: string;
  let audit: AuditServer | undefined;
  const env = { CONTINUUM_PASSWORD: PASSWORD };

  const workerGlobals = () => ["--data-dir", m.cliDir, "--key-file", workerKeyFile, "--sms-url", m.devnet.sms.url];
  const providerGlobals = () => ["--data-dir", m.cliDir, "--key-file", join(m.cliDir, "provider.json")];

  before(async () => {
    m = await startMarketDevnet();
    pool = (await m.json("provider", ["workerpool", "register", "--description", "city pool"])).id;
    await m.json("provider", ["escrow", "deposit", "100"]);
    // Where `npm start` leaves the devnet's attestation platform: the worker's default --attestation.
    await cp(join(m.devnetDir, "attestation"), join(m.cliDir, "attestation"), { recursive: true });
    workerKeyFile = join(m.cliDir, "worker.json");
    const created = await runCli([...FAST_KDF, "--data-dir", m.cliDir, "--key-file", workerKeyFile, "--json", "wallet", "create"], { env });
    expect(created.code, created.stderr).to.equal(0);
    workerAddress = JSON.parse(created.stdout).address;
  });
  after(async () => {
    await worker?.kill();
    await scheduler?.kill();
    await audit?.close();
    await m?.stop();
  });

  describe("refusals", () => {
    it("refuses to run the scheduler of someone else's workerpool, or of an unknown one", async () => {
      const stranger = await m.as("stranger", ["workerpool", "scheduler", "start", "--workerpool", pool, "--port", "0"]);
      expect(stranger.code).to.equal(1);
      const refused = errorLine(stranger);
      expect(refused.code).to.equal("NOT_WORKERPOOL_OWNER");
      expect(refused.message).to.include(m.addresses.provider);

      const unknown = await m.as("provider", ["workerpool", "scheduler", "start", "--workerpool", "99", "--port", "0"]);
      expect(unknown.code).to.equal(1);
      expect(errorLine(unknown).code).to.equal("WORKERPOOL_NOT_FOUND");

      const badPort = await m.as("provider", ["workerpool", "scheduler", "start", "--workerpool", pool, "--port", "70000"]);
      expect(badPort.code).to.equal(2);
    });

    it("refuses a worker with a malformed scheduler URL, an unreachable scheduler, or no platform key", async () => {
      const malformed = await runCli([...workerGlobals(), "worker", "start", "--scheduler", "scheduler.local:8070"], { env });
      expect(malformed.code).to.equal(2);
      expect(errorLine(malformed).code).to.equal("INVALID_URL");

      const nobody = `http://127.0.0.1:${await freePort()}`;
      const unreachable = await runCli([...workerGlobals(), "worker", "start", "--scheduler", nobody], { env });
      expect(unreachable.code).to.equal(1);
      const { code, message } = errorLine(unreachable);
      expect(code).to.equal("SCHEDULER_UNREACHABLE");
      expect(message).to.include(nobody);

      const json = await runCli([...workerGlobals(), "--json", "worker", "start", "--scheduler", nobody], { env });
      expect(json.code).to.equal(1);
      expect(JSON.parse(json.stderr).error.code).to.equal("SCHEDULER_UNREACHABLE");

      // The market answers HTTP but is no scheduler.
      const notScheduler = await runCli([...workerGlobals(), "worker", "start", "--scheduler", m.devnet.market.url], { env });
      expect(notScheduler.code).to.equal(1);
      expect(errorLine(notScheduler).code).to.equal("SCHEDULER_UNREACHABLE");

      const elsewhere = await mkdtemp(join(tmpdir(), "continuum-no-attestation-"));
      const noKey = await runCli(["--data-dir", elsewhere, "--key-file", workerKeyFile, "--sms-url", m.devnet.sms.url, "worker", "start", "--scheduler", nobody], { env });
      expect(noKey.code).to.equal(1);
      expect(errorLine(noKey).code).to.equal("ATTESTATION_NOT_FOUND");
    });
  });

  describe("running", () => {
    it("starts the scheduler with the owner's key and prints its URL as a JSON line", async () => {
      scheduler = spawnCli(
        [...providerGlobals(), "--json", "workerpool", "scheduler", "start", "--workerpool", pool, "--port", "0", "--batch-delay-ms", "200", "--heartbeat-interval-ms", "1000"],
        env,
      );
      const [line] = await scheduler.waitFor(/^\{.*"event":"listening".*\}$/m);
      const listening = JSON.parse(line);
      expect(listening).to.deep.include({ workerpool: pool, owner: m.addresses.provider });
      expect(listening.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      schedulerUrl = listening.url;
      expect(listening.database).to.include(join(m.cliDir, "db", `scheduler_${pool}`));

      const info = (await (await fetch(`${schedulerUrl}/v1/info`)).json()) as { heartbeatIntervalMs: number };
      expect(info).to.deep.include({ workerpool: pool, workerpoolOwner: m.addresses.provider, continuum: m.devnet.deployment.continuum });
      expect(info.heartbeatIntervalMs, "--heartbeat-interval-ms overrides scheduler.heartbeatIntervalMs").to.equal(1000);
    });

    it("starts a worker that registers with the scheduler and heartbeats under its key file's identity", async () => {
      const devnetPeer = (m.devnet.storage as HeliaContentStore).multiaddrs()[0]!;
      worker = spawnCli([...workerGlobals(), "worker", "start", "--scheduler", schedulerUrl, "--ipfs-peer", devnetPeer, "--cpu", "2", "--memory-mb", "2048"], env);
      const [, address] = await worker.waitFor(/^worker\s+(0x[0-9a-fA-F]{40})$/m);
      expect(address!.toLowerCase()).to.equal(workerAddress.toLowerCase());
      expect(worker.stdout()).to.include(`scheduler   ${schedulerUrl} (workerpool ${pool})`);

      // A registered worker's signed heartbeat is accepted; an unknown key's is refused.
      const identity = { owner: m.addresses.provider, workerpool: BigInt(pool) };
      const heartbeat = async (key: Wallet) => {
        const path = `/v1/workers/${key.address}/heartbeat`;
        const headers = await signWorkerRequest(key, identity, { method: "POST", path, timestampMs: Date.now(), body: "{}" });
        const response = await fetch(`${schedulerUrl}${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: "{}" });
        return { status: response.status, body: (await response.json()) as any };
      };
      const registered = await heartbeat(await loadEthereumKeyFile(workerKeyFile, PASSWORD));
      expect(registered.status).to.equal(200);
      expect(registered.body.address.toLowerCase()).to.equal(workerAddress.toLowerCase());
      const stranger = await heartbeat(Wallet.createRandom() as unknown as Wallet);
      expect(stranger.status).to.equal(404);
      expect(stranger.body.error.code).to.equal("WORKER_NOT_FOUND");
    });

    it("runs a confidential task end to end: request, deal, enclave run, result pushed, result decrypted", async () => {
      // Assets published by the CLI live in its own IPFS node; the devnet's node serves them to the worker.
      const bundle = await packBundle(WARD_STATS);
      const deployed = await m.json("developer", ["app", "deploy", WARD_STATS]);
      expect(await m.devnet.storage.add(bundle.bytes)).to.equal(deployed.cid);
      await m.json("developer", ["app", "order", "publish", "--app", deployed.id, "--price", "1", "--volume", "5"]);

      const plain = join(m.cliDir, "ward-vitals.csv");
      await writeFile(plain, wardVitalsToCsv(generateWardVitals({ seed: 11 })));
      const encrypted = join(m.cliDir, "ward-vitals.enc");
      await m.json("owner", [...FAST_KDF, "dataset", "encrypt", "--in", plain, "--out", encrypted]);
      const { cid, checksum } = await m.json("owner", ["dataset", "publish", encrypted]);
      expect(await m.devnet.storage.add(await readFile(encrypted))).to.equal(cid);
      const dataset = (await m.json("owner", ["dataset", "register", "--name", "ward vitals", "--cid", cid, "--checksum", checksum])).id;
      const pushed = await m.as("owner", ["dataset", "push-key", dataset, "--dataset-key", `${encrypted}.key.json`]);
      expect(pushed.code, pushed.stderr).to.equal(0);
      await m.json("owner", ["dataset", "order", "publish", "--dataset", dataset, "--price", "1", "--app", deployed.id, "--volume", "5"]);
      await m.json("provider", ["workerpool", "order", "publish", "--workerpool", pool, "--price", "1", "--category", "1", "--volume", "5"]);

      const resultKey = join(m.cliDir, "results.key.json");
      await m.json("requester", [...FAST_KDF, "keys", "create-result", "--out", resultKey]);
      await m.json("requester", ["escrow", "deposit", "20"]);
      const request = await m.json("requester", [
        "request", "submit", "--app", deployed.id, "--dataset", dataset, "--category", "1", "--app-max-price", "1",
        "--dataset-max-price", "1", "--workerpool-max-price", "1", "--result-key", resultKey, "--params", PARAMS,
      ]);

      const [, taskId, dealId] = await worker!.waitFor(/^task (0x[0-9a-f]{64}) assigned \(deal (0x[0-9a-f]{64}), index 0, attempt 1\)$/m, "stdout", 120_000);
      await worker!.waitFor(new RegExp(`^task ${taskId} running in the enclave$`, "m"));
      const [, resultCid] = await worker!.waitFor(new RegExp(`^task ${taskId} result uploaded \\((b[a-z2-7]+)\\)`, "m"), "stdout", 120_000);

      audit = await startAuditServer(m);
      const watch = await m.as("requester", ["--market-url", audit.url, "request", "watch", request.hash, "--timeout", "120s", "--interval", "1s"]);
      expect(watch.code, watch.stderr).to.equal(0);
      expect(watch.stderr).to.include(`(result ${resultCid})`);
      expect(watch.stdout).to.match(/^status\s+completed$/m);

      // The result sits in the worker's IPFS node; the devnet's node, its peer, fetches it over bitswap
      // so that the devnet gateway (which serves only local content) can serve it to the requester.
      await m.devnet.storage.get(resultCid!, { signal: AbortSignal.timeout(30_000) });
      const out = join(m.cliDir, "result-0");
      const download = await m.json("requester", [
        "--market-url", audit.url, "result", "download", dealId!, "0", "--result-key", resultKey, "-o", out, "--gateway", m.devnet.gateway.url,
      ]);
      expect(download.files.map((file: { path: string }) => file.path)).to.include("ward-stats.json");
      const statistics = JSON.parse(await readFile(join(out, "ward-stats.json"), "utf8"));
      expect(statistics).to.be.an("object").that.is.not.empty;
    });

    it("runs `workerpool autoscale` with each worker its own `worker start` process, and drains them on SIGTERM", async () => {
      const devnetPeer = (m.devnet.storage as HeliaContentStore).multiaddrs()[0]!;
      const fleetDir = await mkdtemp(join(tmpdir(), "continuum-cli-fleet-"));
      await cp(join(m.cliDir, "attestation"), join(fleetDir, "attestation"), { recursive: true });
      const fleet = spawnCli(
        ["--json", "--data-dir", fleetDir, "--sms-url", m.devnet.sms.url, "workerpool", "autoscale", "--scheduler", schedulerUrl, "--min", "2", "--max", "2", "--ipfs-peer", devnetPeer, "--interval", "1s"],
        env,
      );
      try {
        const [line] = await fleet.waitFor(/^\{.*"event":"autoscaling".*\}$/m, "stdout", 180_000);
        expect(JSON.parse(line)).to.include({ launcher: "process", workerpool: pool, min: 2, max: 2 });
        const children = await childProcesses(fleet.child.pid!);
        expect(children.filter((args) => args.includes(" worker start ")), children.join("\n")).to.have.length(2);
        const keys = (await readdir(join(fleetDir, "fleet", "keys"))).filter((name) => name.endsWith(".json"));
        expect(keys).to.have.length(2);
        for (const key of keys) expect((await stat(join(fleetDir, "fleet", "keys", key))).mode & 0o777).to.equal(0o600);
        fleet.signal("SIGTERM");
        expect(await fleet.exited).to.equal(0);
        expect(JSON.parse(fleet.stdout().trim().split("\n").at(-1)!)).to.deep.equal({ event: "stopped" });
        expect(await readdir(join(fleetDir, "fleet", "keys")), "each drained worker's key is removed").to.deep.equal([]);
      } finally {
        await fleet.kill();
        await rm(fleetDir, { recursive: true, force: true });
      }
    });

    it("stops the worker and then the scheduler on SIGINT, each exiting 0 after its clean-stop line", async () => {
      worker!.signal("SIGINT");
      expect(await worker!.exited).to.equal(0);
      expect(worker!.stderr()).to.include("SIGINT: stopping the worker");
      expect(worker!.stdout()).to.match(/^worker stopped$/m);
      expect(worker!.stderr()).not.to.match(/\n\s+at /);

      scheduler!.signal("SIGTERM");
      expect(await scheduler!.exited).to.equal(0);
      const lines = scheduler!.stdout().trim().split("\n").map((line) => JSON.parse(line));
      expect(lines.map((line) => line.event)).to.deep.equal(["listening", "stopped"]);
      expect(scheduler!.stderr()).not.to.match(/"level":(50|60)/);
    });
  });
});

/** The command lines of `pid`'s child processes. */
async function childProcesses(pid: number): Promise<string[]> {
  const { stdout } = await promisify(execFile)("ps", ["--ppid", String(pid), "-o", "args="]);
  return stdout.trim().split("\n").filter((line) => line !== "").map((line) => ` ${line} `);
}
