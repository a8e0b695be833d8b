// The devnet as one handle: a Hardhat (or Anvil) node on loopback, the protocol deployed and seeded (or the
// chain, deployment, databases and keys of the previous run resumed from the data directory), and
// the services beside it. Whatever was started is stopped again if a later step fails, so no
// child process outlives a failed start.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JsonRpcProvider, type JsonRpcSigner } from "ethers";
import type { Deployment } from "../chain/deployProtocol.ts";
import { databaseTarget, type Config, type Environment } from "../config/index.ts";
import { silentLogger, type Logger } from "../core/logger.ts";
import { startMarket, type RunningMarket } from "../market/service/startMarket.ts";
import { DevnetCollateralService } from "../attestation/dcap/devnet/DevnetCollateralService.ts";
import { DEVNET_PLATFORM, openDevnetAttestation, type DevnetAttestation } from "./devnetAttestation.ts";
import { createGatewayServer, openContentStore, type GatewayServer } from "../storage/index.ts";
import type { ContentStore } from "../storage/ContentStore.ts";
import { startSms, verdictSigner, type RunningSms } from "../../sms/startSms.ts";
import { MasterKey } from "../../sms/secrets/MasterKey.ts";
import { setSmsSigner, smsSignerOf } from "../chain/smsSigner.ts";
import { continuumDomain } from "../wire/eip712/index.ts";
import { Wallet, type Signer } from "ethers";
import { HttpSecretsClient, simulatedQuotingPlatform } from "../../enclave/index.ts";
import { startScheduler, type RunningScheduler } from "../../scheduler/index.ts";
import { parsePackagePins } from "../apps/index.ts";
import { startWorker, type RunningWorker } from "../../worker/index.ts";
import { Autoscaler, fetchQueue, WorkerFleet, type ScalePolicy } from "../../worker/fleet/index.ts";
import { announceDevnetScheduler } from "./announceDevnetScheduler.ts";
import { DEVNET_POOL_OWNER_ACCOUNT, DEVNET_WORKER_ACCOUNTS, registerDevnetWorkerpool } from "./devnetWorkerpool.ts";
import { DEVNET_HOST, devnetConfig } from "./devnetConfig.ts";
import { DEVNET_MATCHER_ACCOUNT, devnetPrivateKey } from "./devnetKeys.ts";
import { openDevnetChain } from "./openDevnetChain.ts";
import type { ChainNodeKind } from "./chainNode.ts";
import { loadOrCreateSmsMasterKey, readDevnetWorkerpool, resetChainBoundDatabases, writeDevnetWorkerpool } from "./devnetState.ts";
import { requirePortFree } from "./portCheck.ts";
import { seedDevnet } from "./seedDevnet.ts";

export type DevnetOptions = {
  dataDir: string;
  /** The node the chain runs on (default hardhat); anvil is the independent one. */
  chain?: ChainNodeKind;
  rpcPort: number;
  marketPort: number;
  smsPort: number;
  gatewayPort: number;
  /** Port of the devnet's collateral service (PCCS routes); 0 picks a free one. */
  collateralPort: number;
  /** Port of the devnet workerpool's scheduler; 0 picks a free one. */
  schedulerPort: number;
  /** Register the devnet workerpool and run its scheduler and two workers (default true). */
  compute?: boolean;
  /** Instead of two fixed workers, a fleet sized to the scheduler's queue by this policy (`npm start -- --autoscale`). */
  autoscale?: ScalePolicy & { intervalMs: number };
  env?: Environment;
  logger?: Logger;
  /** Progress lines for a person watching the start. */
  progress?: (line: string) => void;
};

/** Written to <dataDir>/devnet.json so tools (the demo, the CLI's users) find the running services. */
export type DevnetEndpoints = {
  /** The node behind rpcUrl. */
  chain: ChainNodeKind;
  rpcUrl: string;
  marketUrl: string;
  smsUrl: string;
  gatewayUrl: string;
  /** The devnet's PCCS-compatible collateral service. */
  collateralUrl: string;
  schedulerUrl: string | undefined;
  workerpool: string | undefined;
};

export const DEVNET_ENDPOINTS_FILE = "devnet.json";

export type DevnetCompute = {
  readonly workerpool: bigint;
  readonly scheduler: RunningScheduler;
  /** The workers now (with autoscaling, the fleet's, which change). */
  readonly workers: readonly RunningWorker[];
  /** With `autoscale`: the fleet and its autoscaler. */
  readonly autoscaler?: Autoscaler;
};

export type Devnet = {
  /** The one configuration every service of the devnet was started with. */
  readonly config: Config;
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
  /** The devnet's DCAP root, platforms and root certificate file (the SMS trusts that root). */
  readonly attestation: DevnetAttestation;
  /** Serves the devnet's collateral (TCB info, QE identity, CRLs) on the PCCS routes. */
  readonly collateral: DevnetCollateralService;
  /** The devnet workerpool (owned by test account #3), its scheduler and workers; absent with `compute: false`. */
  readonly compute: DevnetCompute | undefined;
  /** The head block the chain resumed at from the data directory's journal; undefined for a fresh chain. */
  readonly resumedAtBlock: number | undefined;
  close(): Promise<void>;
};

/** The devnet scheduler's database: `<dataDir>/db/scheduler`, reset with the chain (see devnetState.ts). */
export const DEVNET_SCHEDULER_DATABASE = "scheduler";

export async function startDevnet(options: DevnetOptions): Promise<Devnet> {
  const progress = options.progress ?? (() => undefined);
  await requirePortFree(DEVNET_HOST, options.marketPort, "The market REST API");
  await requirePortFree(DEVNET_HOST, options.smsPort, "The secret management service");
  await requirePortFree(DEVNET_HOST, options.gatewayPort, "The IPFS gateway");
  if (options.collateralPort !== 0) await requirePortFree(DEVNET_HOST, options.collateralPort, "The devnet collateral service");
  const withCompute = options.compute ?? true;
  if (withCompute && options.schedulerPort !== 0) await requirePortFree(DEVNET_HOST, options.schedulerPort, "The workerpool scheduler");
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const chainNode = options.chain ?? "hardhat";
    progress(`starting the ${chainNode === "anvil" ? "Anvil" : "Hardhat"} node on ${DEVNET_HOST}:${options.rpcPort} ...`);
    mkdirSync(options.dataDir, { recursive: true });
    const opened = await openDevnetChain({ dataDir: options.dataDir, host: DEVNET_HOST, port: options.rpcPort, node: chainNode, logger: options.logger, progress });
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

    progress("starting the devnet attestation platform and its collateral service ...");
    const attestation = await openDevnetAttestation(options.dataDir);
    const collateral = await DevnetCollateralService.start(attestation.dcap, { host: DEVNET_HOST, port: options.collateralPort, logger: options.logger });
    closers.push(() => collateral.close());

    progress("starting the market (REST API, indexer, matcher) ...");
    const config = devnetConfig({
      dataDir: options.dataDir,
      rpcUrl,
      marketPort: options.marketPort,
      smsPort: options.smsPort,
      gatewayPort: options.gatewayPort,
      schedulerPort: options.schedulerPort,
      matcherKey: devnetPrivateKey(DEVNET_MATCHER_ACCOUNT),
      // Kept across runs: the SMS database, kept with the chain, is encrypted under it.
      smsMasterKey: await loadOrCreateSmsMasterKey(options.dataDir),
      attestation: { trustedRootFile: attestation.rootFile, collateralUrl: collateral.url },
      env: options.env ?? {},
    });
    const market = await startMarket({ config, provider, deployment, logger: options.logger });
    closers.push(() => market.close());

    // The contract settles the SMS's verdicts (attested enclaves, blamed failures) only from the
    // signer governance registered: on the devnet the deployer governs, and registers this SMS's.
    const smsSigner = verdictSigner(config.sms.signerKey, MasterKey.fromConfig(config.sms.masterKey), continuumDomain(BigInt(deployment.chainId), deployment.continuum)).address;
    if ((await smsSignerOf(provider, deployment)).toLowerCase() !== smsSigner.toLowerCase()) {
      progress(`registering the SMS signer ${smsSigner} ...`);
      await setSmsSigner(accounts[0]!, deployment, smsSigner);
    }

    progress("starting the secret management service ...");
    const sms = await startSms({ config, provider, deployment, logger: options.logger });
    closers.push(() => sms.close());

    progress("starting content storage and its gateway ...");
    const storage = await openContentStore({ dataDir: options.dataDir, ipfsApiUrl: config.ipfs.apiUrl, logger: options.logger ?? silentLogger() });
    closers.push(() => storage.stop());
    const gateway = await createGatewayServer(storage, { host: config.gateway.host, port: config.gateway.port, logger: options.logger });
    closers.push(() => gateway.close());

    let compute: DevnetCompute | undefined;
    if (withCompute) {
    let workerpool = await readDevnetWorkerpool(options.dataDir);
    if (workerpool === undefined) {
      progress("registering the devnet workerpool ...");
      workerpool = await registerDevnetWorkerpool(deployment, accounts[DEVNET_POOL_OWNER_ACCOUNT]);
      await writeDevnetWorkerpool(options.dataDir, workerpool);
    }
    progress(`starting the scheduler of workerpool ${workerpool} and ${options.autoscale ? "an autoscaled fleet of workers" : "two workers"} ...`);
    const scheduler = await startScheduler({
      config,
      owner: new Wallet(devnetPrivateKey(DEVNET_POOL_OWNER_ACCOUNT), provider),
      provider,
      deployment,
      workerpool,
      database: databaseTarget(config, DEVNET_SCHEDULER_DATABASE),
      logger: options.logger,
    });
    closers.push(() => scheduler.close());
    const platform = simulatedQuotingPlatform(attestation.dcap.quotingEnclave(DEVNET_PLATFORM), DEVNET_PLATFORM);
    const probes = config.workerMetrics;
    const launchWorker = (key: Signer, workDirectory: string, index: number) => {
      mkdirSync(workDirectory, { recursive: true });
      return startWorker({
        schedulerUrl: scheduler.url,
        key,
        capabilities: { tee: true },
        python: { interpreter: config.runtimes.python.interpreter, packages: parsePackagePins(config.runtimes.python.packages) },
        store: storage,
        platform,
        secrets: new HttpSecretsClient({ baseUrl: sms.url }),
        limits: config.worker,
        workDirectory,
        // Each worker's probes on the configured port and the next ones (0: free ports).
        ...(probes.port === undefined ? {} : { listen: { host: probes.host, port: probes.port === 0 ? 0 : probes.port + index } }),
        logger: options.logger,
      });
    };
    if (options.autoscale) {
      const { intervalMs, ...policy } = options.autoscale;
      // Fleet workers get fresh keys: workers send no transactions, and the fleet has no fixed size.
      // They run in this process, not as `worker start` processes (`workerpool autoscale`'s default):
      // here they share the devnet's IPFS node, which the gateway serves, so a result stays
      // downloadable after its worker is drained; a worker process keeps results in its own
      // embedded node, which stops with it.
      const fleet = new WorkerFleet({
        launch: (index) => launchWorker(Wallet.createRandom(), join(options.dataDir, "work", `fleet-worker-${index}`), index),
        logger: options.logger,
      });
      const autoscaler = new Autoscaler({ fleet, policy, intervalMs, readQueue: () => fetchQueue(scheduler.url), logger: options.logger });
      closers.push(() => fleet.close({ abandon: true }));
      closers.push(() => autoscaler.stop());
      await autoscaler.start();
      compute = { workerpool, scheduler, workers: fleet.workers, autoscaler };
    } else {
      const workers: RunningWorker[] = [];
      for (const [index, account] of DEVNET_WORKER_ACCOUNTS.entries()) {
        const worker = await launchWorker(new Wallet(devnetPrivateKey(account)), join(options.dataDir, "work", `worker-${account}`), index);
        closers.push(() => worker.close({ abandon: true }));
        workers.push(worker);
      }
      compute = { workerpool, scheduler, workers };
    }
    progress("announcing the scheduler to the market ...");
    await announceDevnetScheduler({
      marketUrl: market.url,
      market: { chainId: deployment.chainId, continuum: deployment.continuum },
      owner: new Wallet(devnetPrivateKey(DEVNET_POOL_OWNER_ACCOUNT)),
      workerpool,
      schedulerUrl: scheduler.url,
    });
    }

    const endpoints: DevnetEndpoints = {
      chain: chainNode,
      rpcUrl,
      marketUrl: market.url,
      smsUrl: sms.url,
      gatewayUrl: gateway.url,
      collateralUrl: collateral.url,
      schedulerUrl: compute?.scheduler.url,
      workerpool: compute?.workerpool.toString(),
    };
    writeFileSync(join(options.dataDir, DEVNET_ENDPOINTS_FILE), `${JSON.stringify(endpoints, null, 2)}\n`);

    let closing: Promise<void> | undefined;
    return {
      config,
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
      attestation,
      collateral,
      resumedAtBlock: opened.chain.resumedAt,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
