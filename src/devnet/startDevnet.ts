// The devnet as one handle: a Hardhat node on loopback, the protocol deployed and seeded (or the
// chain, deployment, databases and keys of the previous run resumed from the data directory), and
// the services beside it. Whatever was started is stopped again if a later step fails, so no
// child process outlives a failed start.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, type JsonRpcSigner } from "ethers";
import type { Deployment } from "../chain/deployProtocol.ts";
import { loadConfig, type Environment } from "../config/index.ts";
import { silentLogger, type Logger } from "../core/logger.ts";
import { startMarket, type RunningMarket } from "../market/service/startMarket.ts";
import { AttestationAuthority, SimulatedTrustedRoot, type PlatformAttestationKey } from "../attestation/index.ts";
import { createGatewayServer, openContentStore, type GatewayServer } from "../storage/index.ts";
import type { ContentStore } from "../storage/ContentStore.ts";
import { startSms, type RunningSms } from "../../sms/startSms.ts";
import { Wallet } from "ethers";
import { HttpSecretsClient } from "../../enclave/index.ts";
import { startScheduler, type RunningScheduler } from "../../scheduler/index.ts";
import { parsePackagePins } from "../apps/index.ts";
import { startWorker, type RunningWorker } from "../../worker/index.ts";
import { SimulatedPlatform } from "../attestation/index.ts";
import { DEVNET_POOL_OWNER_ACCOUNT, DEVNET_WORKER_ACCOUNTS, registerDevnetWorkerpool } from "./devnetWorkerpool.ts";
import { DEVNET_MATCHER_ACCOUNT, devnetPrivateKey } from "./devnetKeys.ts";
import { openDevnetChain } from "./openDevnetChain.ts";
import { loadOrCreateAttestation, loadOrCreateSmsMasterKey, readDevnetWorkerpool, resetChainBoundDatabases, writeDevnetWorkerpool } from "./devnetState.ts";
import { requirePortFree } from "./portCheck.ts";
import { seedDevnet } from "./seedDevnet.ts";

export type DevnetOptions = {
  dataDir: string;
  rpcPort: number;
  marketPort: number;
  smsPort: number;
  gatewayPort: number;
  /** Port of the devnet workerpool's scheduler; 0 picks a free one. */
  schedulerPort: number;
  /** Register the devnet workerpool and run its scheduler and two workers (default true). */
  compute?: boolean;
  env?: Environment;
  logger?: Logger;
  /** Progress lines for a person watching the start. */
  progress?: (line: string) => void;
};

/** Written to <dataDir>/devnet.json so tools (the demo, the CLI's users) find the running services. */
export type DevnetEndpoints = {
  rpcUrl: string;
  marketUrl: string;
  smsUrl: string;
  gatewayUrl: string;
  schedulerUrl: string | undefined;
  workerpool: string | undefined;
};

export const DEVNET_ENDPOINTS_FILE = "devnet.json";

export type DevnetCompute = {
  readonly workerpool: bigint;
  readonly scheduler: RunningScheduler;
  readonly workers: readonly RunningWorker[];
};

export type Devnet = {
  readonly endpoints: DevnetEndpoints;
  readonly rpcUrl: string;
  readonly deployment: Deployment;
  readonly deploymentFile: string;
  /** The ten funded test accounts; #0 deployed the protocol and owns it. */
  readonly accounts: readonly JsonRpcSigner[];
  readonly provider: JsonRpcProvider;
  readonly market: RunningMarket;
  readonly sms: RunningSms;
  /** Content storage (embedded Helia under <dataDir>/ipfs, or Kubo with IPFS_API_URL). */
  readonly storage: ContentStore;
  readonly gateway: GatewayServer;
  /** The devnet's attestation authority: workers get platform keys from it; the SMS trusts its root. */
  readonly authority: AttestationAuthority;
  /** A platform key certified by the authority, for the devnet's workers. */
  readonly platformKey: PlatformAttestationKey;
  /** The devnet workerpool (owned by test account #3), its scheduler and workers; absent with `compute: false`. */
  readonly compute: DevnetCompute | undefined;
  /** The head block the chain resumed at from the data directory's journal; undefined for a fresh chain. */
  readonly resumedAtBlock: number | undefined;
  close(): Promise<void>;
};

const HOST = "127.0.0.1";

export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const progress = options.progress ?? (() => undefined);
  await requirePortFree(HOST, options.marketPort, "The market REST API");
  await requirePortFree(HOST, options.smsPort, "The secret management service");
  await requirePortFree(HOST, options.gatewayPort, "The IPFS gateway");
  const withCompute = options.compute ?? true;
  if (withCompute && options.schedulerPort !== 0) await requirePortFree(HOST, options.schedulerPort, "The workerpool scheduler");
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    progress(`starting Hardhat node on ${HOST}:${options.rpcPort} ...`);
    mkdirSync(options.dataDir, { recursive: true });
    const opened = await openDevnetChain({ dataDir: options.dataDir, host: HOST, port: options.rpcPort, logger: options.logger, progress });
    const rpcUrl = opened.chain.url;
    closers.push(() => opened.chain.close());
    const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, pollingInterval: 500 });
    closers.push(() => provider.destroy());
    const accounts = (await provider.listAccounts()).slice(0, 10);
    let deployment: Deployment;
    if (opened.deployment) {
      progress(`resumed chain at block ${opened.chain.resumedAt} from ${options.dataDir}`);
      deployment = opened.deployment;
    } else {
      progress(`fresh chain in ${options.dataDir}: deploying and seeding the protocol ...`);
      await resetChainBoundDatabases(options.dataDir);
      deployment = await seedDevnet(accounts[0], accounts.map((account) => account.address));
    }
    const deploymentFile = join(options.dataDir, "deployment.json");
    writeFileSync(deploymentFile, `${JSON.stringify({ rpcUrl, ...deployment }, null, 2)}\n`);

    progress("starting the market (REST API, indexer, matcher) ...");
    const config = loadConfig({
      env: options.env ?? {},
      overrides: {
        dataDir: options.dataDir,
        chain: { rpcUrl },
        market: {
          host: HOST,
          port: options.marketPort,
          matcherKey: devnetPrivateKey(DEVNET_MATCHER_ACCOUNT),
          matchIntervalMs: 500,
          indexIntervalMs: 500,
        },
        // Kept across runs: the SMS database, kept with the chain, is encrypted under it.
        sms: { host: HOST, port: options.smsPort, masterKey: await loadOrCreateSmsMasterKey(options.dataDir) },
        gateway: { host: HOST, port: options.gatewayPort },
      },
    });
    const market = await startMarket({ config, provider, deployment, logger: options.logger });
    closers.push(() => market.close());

    progress("starting the attestation authority and the secret management service ...");
    const { authority, platformKey } = await loadOrCreateAttestation(options.dataDir);
    const sms = await startSms({ config, trustedRoot: SimulatedTrustedRoot.fromHex(authority.trustedRootHex), provider, deployment, logger: options.logger });
    closers.push(() => sms.close());

    progress("starting content storage and its gateway ...");
    const storage = await openContentStore({ dataDir: options.dataDir, ipfsApiUrl: config.ipfs.apiUrl, logger: options.logger ?? silentLogger() });
    closers.push(() => storage.stop());
    const gateway = await createGatewayServer(storage, { host: HOST, port: options.gatewayPort, logger: options.logger });
    closers.push(() => gateway.close());

    let compute: DevnetCompute | undefined;
    if (withCompute) {
    let workerpool = await readDevnetWorkerpool(options.dataDir);
    if (workerpool === undefined) {
      progress("registering the devnet workerpool ...");
      workerpool = await registerDevnetWorkerpool(deployment, accounts[DEVNET_POOL_OWNER_ACCOUNT]);
      await writeDevnetWorkerpool(options.dataDir, workerpool);
    }
    progress(`starting the scheduler of workerpool ${workerpool} and two workers ...`);
    const scheduler = await startScheduler({
      owner: new Wallet(devnetPrivateKey(DEVNET_POOL_OWNER_ACCOUNT), provider),
      provider,
      deployment,
      workerpool,
      database: { pgliteDir: join(options.dataDir, "db", "scheduler") },
      host: HOST,
      port: options.schedulerPort,
      batchSize: config.scheduler.batchSize,
      batchDelayMs: config.scheduler.batchDelayMs,
      heartbeatIntervalMs: config.scheduler.heartbeatMs,
      indexerPollMs: 500,
      logger: options.logger,
    });
    closers.push(() => scheduler.close());
    const workers: RunningWorker[] = [];
    for (const account of DEVNET_WORKER_ACCOUNTS) {
      const workDirectory = join(options.dataDir, "work", `worker-${account}`);
      mkdirSync(workDirectory, { recursive: true });
      const worker = await startWorker({
        schedulerUrl: scheduler.url,
        key: new Wallet(devnetPrivateKey(account)),
        capabilities: { tee: true },
        python: { interpreter: config.runtimes.python.interpreter, packages: parsePackagePins(config.runtimes.python.packages) },
        store: storage,
        platform: new SimulatedPlatform(platformKey),
        secrets: new HttpSecretsClient({ baseUrl: sms.url }),
        workDirectory,
        logger: options.logger,
      });
      closers.push(() => worker.close({ abandon: true }));
      workers.push(worker);
    }
    compute = { workerpool, scheduler, workers };
    }

    const endpoints: DevnetEndpoints = {
      rpcUrl,
      marketUrl: market.url,
      smsUrl: sms.url,
      gatewayUrl: gateway.url,
      schedulerUrl: compute?.scheduler.url,
      workerpool: compute?.workerpool.toString(),
    };
    writeFileSync(join(options.dataDir, DEVNET_ENDPOINTS_FILE), `${JSON.stringify(endpoints, null, 2)}\n`);

    let closing: Promise<void> | undefined;
    return {
      endpoints,
      compute,
      rpcUrl,
      deployment,
      deploymentFile,
      accounts,
      provider,
      market,
      sms,
      storage,
      gateway,
      authority,
      platformKey,
      resumedAtBlock: opened.chain.resumedAt,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
