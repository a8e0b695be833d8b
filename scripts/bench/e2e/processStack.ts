// The benchmark's stack with every service as its own OS process, started by its one command and
// reaching the others only through their URLs, as across organisations (README, "Deploying across
// machines"): the chain node (Anvil or Hardhat); the protocol deployed by the CLI
// (`protocol deploy --rpc-url`, `protocol category add`, `protocol sms-signer set`); `market
// serve`, `sms serve` and `gateway serve` for the market operator; `workerpool scheduler start`
// and two `worker start` for the workerpool. Each service keeps its embedded PGlite database in
// its own data directory. The devnet's settings are used (500 ms index and match intervals), and
// its accounts play the same parts: #0 deploys, #3 owns the workerpool, #5 and #6 are the workers,
// #19 the matcher; the roles' tokens are minted by the deployer, who owns the devnet token.
import { cp, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Contract, JsonRpcProvider, Network, Wallet, hexlify, randomBytes } from "ethers";
import { loadArtifact } from "../../../src/chain/artifacts.ts";
import { DevnetCollateralService } from "../../../src/attestation/dcap/devnet/DevnetCollateralService.ts";
import { startChainNode, type ChainNode, type ChainNodeKind } from "../../../src/devnet/chainNode.ts";
import { openDevnetAttestation } from "../../../src/devnet/devnetAttestation.ts";
import { DEVNET_MATCHER_ACCOUNT, devnetPrivateKey } from "../../../src/devnet/devnetKeys.ts";
import { DEVNET_POOL_DEPOSIT, DEVNET_WORKER_ACCOUNTS } from "../../../src/devnet/devnetWorkerpool.ts";
import { DEVNET_CATEGORIES, DEVNET_FUNDING } from "../../../src/devnet/seedDevnet.ts";
import { createRoleCli, DEMO_PASSWORD, DEMO_ROLES } from "../../../src/demo/roleCli.ts";
import { createTemporaryDirectory } from "../../../src/persistence/testing/index.ts";
import { spawnCli, spawnService, type CliProcess, type ListeningFacts } from "../../../test/integration/cli/cliProcess.ts";
import { deployProtocolWithCli } from "../../../test/helpers/cliProtocolDeploy.ts";
import { freePort } from "../../../test/helpers/freePort.ts";
import type { BenchStack } from "./benchStack.ts";

/** The devnet's poll intervals (src/devnet/devnetConfig.ts), so both stacks are tuned alike. */
const DEVNET_INTERVALS = { CONTINUUM_MATCH_INTERVAL_MS: "500", CONTINUUM_INDEX_INTERVAL_MS: "500", CONTINUUM_SCHEDULER_INDEX_INTERVAL_MS: "500" };

export async function startProcessStack(chainKind: ChainNodeKind, say: (line: string) => void = () => undefined): Promise<BenchStack> {
  const root = await createTemporaryDirectory("continuum-bench-processes-");
  const services: CliProcess[] = [];
  let chain: ChainNode | undefined;
  let provider: JsonRpcProvider | undefined;
  let collateral: DevnetCollateralService | undefined;
  const close = async () => {
    // SIGTERM first, so each service stops cleanly; whatever is still running after 10 s is killed.
    for (const service of services.splice(0).reverse()) {
      service.signal("SIGTERM");
      const stopped = await Promise.race([service.exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
      if (!stopped) await service.kill();
    }
    await collateral?.close();
    provider?.destroy();
    await chain?.stop();
    await root.remove();
  };
  try {
    const dirs = { protocol: "", operator: "", pool: "" };
    for (const name of Object.keys(dirs) as (keyof typeof dirs)[]) {
      dirs[name] = join(root.path, name);
      await mkdir(dirs[name], { recursive: true });
    }
    say(`starting ${chainKind === "anvil" ? "Anvil" : "a Hardhat node"} as its own process ...`);
    chain = await startChainNode(chainKind, { host: "127.0.0.1", port: await freePort() });
    provider = new JsonRpcProvider(chain.url, Network.from(31337n), { staticNetwork: true, pollingInterval: 500 });

    say("protocol owner: continuum protocol deploy --rpc-url, protocol category add ...");
    const { owner, record } = await deployProtocolWithCli({
      rpcUrl: chain.url,
      dataDir: dirs.protocol,
      privateKey: devnetPrivateKey(0),
      password: DEMO_PASSWORD,
      categories: DEVNET_CATEGORIES,
    });
    const deploymentJson = await owner.deploymentText();
    for (const dir of [dirs.operator, dirs.pool]) await writeFile(join(dir, "deployment.json"), deploymentJson);
    // The deployer's account, its nonces kept by the node.
    const deployer = await provider.getSigner(0);
    const token = new Contract(record.token, loadArtifact("DevnetToken").abi as never, deployer);
    for (const account of Object.values(DEMO_ROLES)) {
      await (await token.getFunction("mint")(new Wallet(devnetPrivateKey(account)).address, DEVNET_FUNDING)).wait();
    }

    const attestation = await openDevnetAttestation(dirs.operator);
    collateral = await DevnetCollateralService.start(attestation.dcap, { host: "127.0.0.1", port: 0 });
    const env = { CONTINUUM_PASSWORD: DEMO_PASSWORD, CONTINUUM_LOG_LEVEL: "warn" };
    const serve = async (args: readonly string[], extraEnv: Record<string, string> = {}): Promise<ListeningFacts> => {
      const { service, listening } = await spawnService(args, { ...env, ...DEVNET_INTERVALS, ...extraEnv }, 180_000);
      services.push(service);
      return listening;
    };

    say("market operator: continuum market serve, continuum sms serve ...");
    const market = await serve(["--data-dir", dirs.operator, "market", "serve", "--port", "0"], {
      CONTINUUM_MATCHER_KEY: devnetPrivateKey(DEVNET_MATCHER_ACCOUNT).slice(2),
    });
    const sms = await serve(["--data-dir", dirs.operator, "sms", "serve", "--port", "0"], {
      CONTINUUM_SMS_MASTER_KEY: hexlify(randomBytes(32)).slice(2),
      CONTINUUM_SMS_TRUSTED_ROOT_FILE: attestation.rootFile,
      CONTINUUM_SMS_COLLATERAL_URL: collateral.url,
    });
    await owner.json(["protocol", "sms-signer", "set", sms.signer!]);

    // The compute provider registers its workerpool and deposits for its stakes through the CLI.
    const roles = createRoleCli({ dataDir: dirs.operator, marketUrl: market.url, smsUrl: sms.url, workDir: join(root.path, "roles") });
    await roles.importKey("provider");
    const workerpool = BigInt((await roles.json("provider", ["workerpool", "register", "--description", "City of Lyon compute pool (bench)"])).id);
    await roles.json("provider", ["escrow", "deposit", String(DEVNET_POOL_DEPOSIT / 10n ** 18n)]);

    let gatewayUrl: string | undefined;
    const startCompute = async () => {
      say("market operator: continuum gateway serve; workerpool: continuum workerpool scheduler start, two continuum worker start ...");
      // The workers connect to the gateway's node (--ipfs-peer); it fetches their results from them.
      const gateway = await serve(["--data-dir", dirs.operator, "gateway", "serve", "--port", "0"], { CONTINUUM_GATEWAY_NETWORK_FETCH_MS: "15000" });
      gatewayUrl = gateway.url;
      const providerKey = join(root.path, "roles", "keys", "provider.json");
      const scheduler = await serve(["--data-dir", dirs.pool, "--key-file", providerKey, "workerpool", "scheduler", "start", "--workerpool", workerpool.toString(), "--port", "0"]);
      for (const account of DEVNET_WORKER_ACCOUNTS) {
        const workerDir = join(root.path, `worker-${account}`);
        await mkdir(workerDir, { recursive: true });
        await writeFile(join(workerDir, "deployment.json"), deploymentJson);
        await cp(join(dirs.operator, "attestation"), join(workerDir, "attestation"), { recursive: true });
        const secret = join(workerDir, "worker.private");
        await writeFile(secret, `${devnetPrivateKey(account)}\n`, { mode: 0o600 });
        const keyFile = join(workerDir, "worker.json");
        const imported = spawnCli(["--data-dir", workerDir, "--scrypt-log-n", "14", "wallet", "import", "--private-key-file", secret, "--out", keyFile], env);
        if ((await imported.exited) !== 0) throw new Error(`importing worker key ${account} failed:\n${imported.stderr()}`);
        const worker = spawnCli(
          ["--data-dir", workerDir, "--key-file", keyFile, "--sms-url", sms.url, "worker", "start", "--scheduler", scheduler.url, "--ipfs-peer", gateway.peer!],
          env,
        );
        services.push(worker);
        await worker.waitFor(/^worker\s+0x[0-9a-fA-F]{40}$/m, "stdout", 180_000);
      }
    };

    return {
      setup: { chain: chainKind, processes: true },
      dataDir: dirs.operator,
      workDir: join(root.path, "roles"),
      marketUrl: market.url,
      smsUrl: sms.url,
      workerpool,
      workers: DEVNET_WORKER_ACCOUNTS.length,
      deployment: { chainId: record.chainId, continuum: record.continuum },
      provider,
      gatewayUrl: () => {
        if (gatewayUrl === undefined) throw new Error("the gateway starts with startCompute()");
        return gatewayUrl;
      },
      startCompute,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
