// The flow across machines, each service its own OS process started by its one command, reaching
// the others only through their URLs: Anvil as the shared chain, the protocol deployed on it by
// the protocol owner's `continuum protocol deploy --rpc-url` and `protocol category add`, the SMS's
// signer registered with `protocol sms-signer set` (the README's commands); the market operator's
// market, SMS and IPFS gateway on one PostgreSQL database; the workerpool's scheduler and worker
// on another; the roles as CLI calls. One confidential task runs from request to a result pushed
// on-chain with the SMS's attestation of its enclave.
import { expect } from "chai";
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Contract, JsonRpcProvider, Network, Wallet, hexlify, parseEther, parseUnits, randomBytes } from "ethers";
import pg from "pg";
import { loadArtifact } from "../../src/chain/artifacts.ts";
import type { DeploymentRecord } from "../../src/cli/protocolDeploy.ts";
import { DevnetCollateralService } from "../../src/attestation/dcap/devnet/DevnetCollateralService.ts";
import { openDevnetAttestation } from "../../src/devnet/devnetAttestation.ts";
import { devnetPrivateKey } from "../../src/devnet/devnetKeys.ts";
import { DEVNET_CATEGORIES } from "../../src/devnet/seedDevnet.ts";
import { createTemporaryDirectory, type TemporaryDirectory } from "../../src/persistence/testing/index.ts";
import { generateWardVitals, wardVitalsToCsv } from "../../examples/datasets/wardVitals.ts";
import { spawnCli, spawnService, type CliProcess, type ListeningFacts } from "../integration/cli/cliProcess.ts";
import { FAST_KDF, PASSWORD, runCli } from "../integration/cli/cliTestKit.ts";
import { freePort } from "../helpers/freePort.ts";
import { deployProtocolWithCli, type CliProtocolOwner } from "../helpers/cliProtocolDeploy.ts";
import { startAnvilNode, type AnvilNode } from "../../src/devnet/anvilNode.ts";

const WARD_STATS = join(import.meta.dirname, "../../examples/apps/ward-stats-node");
const POSTGRES = "postgres://postgres@127.0.0.1:5432";
const ROLES = ["developer", "owner", "provider", "requester", "worker"] as const;
type Role = (typeof ROLES)[number];

describe("every service as its own process, on Anvil and PostgreSQL", function () {
  this.timeout(600_000);
  const suffix = hexlify(randomBytes(4)).slice(2);
  const databases = { operator: `continuum_e2e_operator_${suffix}`, pool: `continuum_e2e_pool_${suffix}` };
  let root: TemporaryDirectory;
  let anvil: AnvilNode | undefined;
  let provider: JsonRpcProvider;
  let deployment: DeploymentRecord;
  let protocolOwner: CliProtocolOwner;
  let collateral: DevnetCollateralService | undefined;
  const services: CliProcess[] = [];
  const dirs = { protocol: "", operator: "", pool: "", roles: "" };
  const urls = { rpc: "", market: "", sms: "", gateway: "", scheduler: "" };
  const env = { CONTINUUM_PASSWORD: PASSWORD };
  const admin = new pg.Client({ connectionString: `${POSTGRES}/postgres` });

  /** The CLI as `role`: its own key file, the operator's deployment, the services' URLs. */
  const as = (role: Role, args: readonly string[], dataDir = dirs.roles) =>
    runCli(["--data-dir", dataDir, "--key-file", join(dirs.roles, `${role}.json`), "--market-url", urls.market, "--sms-url", urls.sms, ...args], { env });
  const json = async (role: Role, args: readonly string[], dataDir?: string) => {
    const run = await as(role, ["--json", ...args], dataDir);
    if (run.code !== 0) throw new Error(`continuum ${args.join(" ")} failed (${run.code}):\n${run.stderr}`);
    return JSON.parse(run.stdout);
  };
  /** Starts a `serve`/`start` command and waits for its "listening" JSON line. */
  const serve = async (args: readonly string[], extraEnv: Record<string, string>): Promise<ListeningFacts> => {
    const { service, listening } = await spawnService(args, { ...env, ...extraEnv });
    services.push(service);
    return listening;
  };

  before(async function () {
    root = await createTemporaryDirectory("continuum-standalone-");
    for (const name of ["protocol", "operator", "pool", "roles"] as const) {
      dirs[name] = join(root.path, name);
      await mkdir(dirs[name], { recursive: true });
    }
    await admin.connect();
    for (const database of Object.values(databases)) await admin.query(`CREATE DATABASE ${database}`);

    anvil = await startAnvilNode({ host: "127.0.0.1", port: await freePort() });
    urls.rpc = anvil.url;
    provider = new JsonRpcProvider(urls.rpc, Network.from(31337n), { staticNetwork: true, pollingInterval: 200 });
    // The protocol owner deploys with the CLI from the chain's first account (it pays the gas and
    // owns the devnet token), then hands deployment.json to every organisation.
    const deployed = await deployProtocolWithCli({
      rpcUrl: urls.rpc,
      dataDir: dirs.protocol,
      privateKey: devnetPrivateKey(0),
      password: PASSWORD,
      categories: [DEVNET_CATEGORIES[0]],
    });
    protocolOwner = deployed.owner;
    deployment = deployed.record;
    expect(deployment).to.include({ chainId: "31337", rpcUrl: urls.rpc, paymentToken: "devnet" });
    expect(deployed.categories).to.deep.equal(["1"]);
    const deploymentJson = await protocolOwner.deploymentText();
    for (const dir of [dirs.operator, dirs.pool, dirs.roles]) await writeFile(join(dir, "deployment.json"), deploymentJson);
    // The same account, its nonces kept by the node: it funds the roles below.
    const deployer = await provider.getSigner(0);

    // The attestation authority (Intel's PCS on real hardware): the platform the worker quotes
    // with, its root the SMS trusts, and the collateral service the SMS fetches from.
    const attestation = await openDevnetAttestation(dirs.operator);
    collateral = await DevnetCollateralService.start(attestation.dcap, { host: "127.0.0.1", port: 0 });
    await cp(join(dirs.operator, "attestation"), join(dirs.pool, "attestation"), { recursive: true });

    // Every role has its own key, funded with ETH and tokens by the chain's first account.
    const token = new Contract(deployment.token, loadArtifact("DevnetToken").abi as never, deployer);
    for (const role of ROLES) {
      const created = await runCli([...FAST_KDF, "--data-dir", dirs.roles, "--key-file", join(dirs.roles, `${role}.json`), "--json", "wallet", "create"], { env });
      expect(created.code, created.stderr).to.equal(0);
      const address = JSON.parse(created.stdout).address as string;
      await (await deployer.sendTransaction({ to: address, value: parseEther("10") })).wait();
      await (await token.mint(address, parseUnits("1000", 18))).wait();
    }

    const matcher = new Wallet(devnetPrivateKey(19));
    await (await deployer.sendTransaction({ to: matcher.address, value: parseEther("10") })).wait();

    const operatorDb = { DATABASE_URL: `${POSTGRES}/${databases.operator}` };
    urls.market = (await serve(["--data-dir", dirs.operator, "market", "serve", "--port", "0"], {
      ...operatorDb,
      CONTINUUM_MATCHER_KEY: matcher.privateKey.slice(2),
      CONTINUUM_MATCH_INTERVAL_MS: "300",
      CONTINUUM_INDEX_INTERVAL_MS: "300",
    })).url;
    const sms = await serve(["--data-dir", dirs.operator, "sms", "serve", "--port", "0"], {
      ...operatorDb,
      CONTINUUM_SMS_MASTER_KEY: hexlify(randomBytes(32)).slice(2),
      CONTINUUM_SMS_TRUSTED_ROOT_FILE: attestation.rootFile,
      CONTINUUM_SMS_COLLATERAL_URL: collateral.url,
    });
    urls.sms = sms.url;
    // `sms serve` printed its signer; the protocol owner registers it, as the README says.
    expect(sms.signer).to.match(/^0x[0-9a-fA-F]{40}$/);
    const registered = await protocolOwner.json(["protocol", "sms-signer", "set", sms.signer!]);
    expect(registered.smsSigner).to.equal(sms.signer);
  });

  after(async () => {
    for (const service of services.splice(0).reverse()) await service.kill();
    await collateral?.close();
    provider?.destroy();
    await anvil?.stop();
    for (const database of Object.values(databases)) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await root?.remove();
  });

  it("runs a confidential task across the processes: published, matched, attested, run, pushed and reported", async () => {
    // The developer and the dataset owner publish into the operator's IPFS store, then its gateway opens.
    const deployed = await json("developer", ["app", "deploy", WARD_STATS], dirs.operator);
    const plain = join(dirs.roles, "ward-vitals.csv");
    await writeFile(plain, wardVitalsToCsv(generateWardVitals({ seed: 5 })));
    const encrypted = join(dirs.roles, "ward-vitals.enc");
    await json("owner", [...FAST_KDF, "dataset", "encrypt", "--in", plain, "--out", encrypted]);
    const { cid, checksum } = await json("owner", ["dataset", "publish", encrypted], dirs.operator);
    // It fetches what it does not store (the worker's results) from its peers.
    const gateway = await serve(["--data-dir", dirs.operator, "gateway", "serve", "--port", "0"], { CONTINUUM_GATEWAY_NETWORK_FETCH_MS: "15000" });
    urls.gateway = gateway.url;
    expect(gateway.peer, "the gateway's node is a peer workers can fetch from").to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//);
    const bundle = await fetch(`${urls.gateway}/ipfs/${deployed.cid}`);
    expect(bundle.status, "the gateway serves what was published").to.equal(200);

    // The workerpool's organisation: its own database, its scheduler and a worker, on their URLs.
    const pool = (await json("provider", ["workerpool", "register", "--description", "city pool"])).id as string;
    await json("provider", ["escrow", "deposit", "100"]);
    const poolDb = { DATABASE_URL: `${POSTGRES}/${databases.pool}` };
    const scheduler = await serve(
      ["--data-dir", dirs.pool, "--key-file", join(dirs.roles, "provider.json"), "workerpool", "scheduler", "start", "--workerpool", pool, "--port", "0", "--batch-delay-ms", "200"],
      poolDb,
    );
    urls.scheduler = scheduler.url;
    expect(scheduler.database).to.equal(`schema scheduler_${pool} on the PostgreSQL server`);
    const worker = spawnCli(
      ["--data-dir", dirs.pool, "--key-file", join(dirs.roles, "worker.json"), "--sms-url", urls.sms, "worker", "start", "--scheduler", urls.scheduler, "--ipfs-peer", gateway.peer!, "--cpu", "2", "--memory-mb", "2048"],
      env,
    );
    services.push(worker);
    await worker.waitFor(/^worker\s+0x[0-9a-fA-F]{40}$/m);

    // The orders, then the request: the market process matches them.
    await json("developer", ["app", "order", "publish", "--app", deployed.id, "--price", "1", "--volume", "5"]);
    const dataset = (await json("owner", ["dataset", "register", "--name", "ward vitals", "--cid", cid, "--checksum", checksum])).id;
    const pushed = await as("owner", ["dataset", "push-key", dataset, "--dataset-key", `${encrypted}.key.json`]);
    expect(pushed.code, pushed.stderr).to.equal(0);
    await json("owner", ["dataset", "order", "publish", "--dataset", dataset, "--price", "1", "--app", deployed.id, "--volume", "5"]);
    await json("provider", ["workerpool", "order", "publish", "--workerpool", pool, "--price", "1", "--category", "1", "--volume", "5"]);
    const resultKey = join(dirs.roles, "results.key.json");
    await json("requester", [...FAST_KDF, "keys", "create-result", "--out", resultKey]);
    await json("requester", ["escrow", "deposit", "20"]);
    const request = await json("requester", [
      "request", "submit", "--app", deployed.id, "--dataset", dataset, "--category", "1", "--app-max-price", "1",
      "--dataset-max-price", "1", "--workerpool-max-price", "1", "--result-key", resultKey, "--params", '{"thresholds":{"spo2":{"min":91}}}',
    ]);

    const [, taskId] = await worker.waitFor(/^task (0x[0-9a-f]{64}) assigned/m, "stdout", 180_000);
    const [, resultCid] = await worker.waitFor(new RegExp(`^task ${taskId} result uploaded \\((b[a-z2-7]+)\\)`, "m"), "stdout", 180_000);
    const watch = await as("requester", ["request", "watch", request.hash, "--timeout", "180s", "--interval", "1s"]);
    expect(watch.code, watch.stderr).to.equal(0);
    expect(watch.stdout).to.match(/^status\s+completed$/m);
    expect(watch.stderr).to.include(`(result ${resultCid})`);

    // On-chain: the result came with the SMS's attestation (the contract demands it once a signer is registered).
    const continuum = new Contract(deployment.continuum, loadArtifact("Continuum").abi as never, provider);
    const pushes = await continuum.queryFilter(continuum.filters.ResultPushed());
    expect(pushes.map((log) => (log as unknown as { args: { resultCid: string } }).args.resultCid)).to.deep.equal([resultCid]);

    // The requester downloads the result through the operator's gateway, which fetched it from the worker's node.
    const dealId = (pushes[0] as unknown as { args: { dealId: string } }).args.dealId;
    const downloaded = await json("requester", ["result", "download", dealId, "0", "--result-key", resultKey, "--gateway", urls.gateway, "-o", join(dirs.roles, "result")]);
    expect(downloaded.files.map((file: { path: string }) => file.path)).to.include("ward-stats.json");

    // Each organisation's tables are in its own database, each service in its own schema.
    const schemas = async (database: string) => {
      const client = new pg.Client({ connectionString: `${POSTGRES}/${database}` });
      await client.connect();
      try {
        const rows = await client.query(`SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT LIKE 'pg_%' AND schema_name NOT IN ('information_schema', 'public') ORDER BY 1`);
        return rows.rows.map((row) => row.schema_name as string);
      } finally {
        await client.end();
      }
    };
    expect(await schemas(databases.operator)).to.deep.equal(["market", "sms"]);
    expect(await schemas(databases.pool)).to.deep.equal([`scheduler_${pool}`]);

    // A second market on the same port is refused with the port named.
    const busy = new URL(urls.market).port;
    const twice = await runCli(["--data-dir", dirs.operator, "market", "serve", "--port", busy], { env: { DATABASE_URL: `${POSTGRES}/${databases.operator}` } });
    expect(twice.code).to.equal(1);
    expect(twice.stderr).to.include("PORT_UNAVAILABLE").and.include(`127.0.0.1:${busy}`);

    // The services stop cleanly on SIGTERM, each with its stopped line.
    for (const service of services.splice(0).reverse()) {
      service.signal("SIGTERM");
      expect(await service.exited, service.stderr()).to.equal(0);
    }
  });
});
