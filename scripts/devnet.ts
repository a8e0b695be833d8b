// `npm start`: the local devnet. Starts a Hardhat (or, with --chain anvil, an Anvil) JSON-RPC node on 127.0.0.1, deploys and seeds
// the protocol (or resumes the data directory's chain), starts the services beside it, prints
// where everything is, and serves until Ctrl-C.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startDevnet } from "../src/devnet/startDevnet.ts";
import { CHAIN_NODE_KINDS, isChainNodeKind } from "../src/devnet/chainNode.ts";
import { runEHealthDemo } from "../src/demo/eHealthDemo.ts";
import { printDemoResult } from "../src/demo/printDemo.ts";
import { DEVNET_CATEGORIES, DEVNET_FUNDING } from "../src/devnet/seedDevnet.ts";
import { devnetAccounts, devnetRoles, devnetSummaryLines } from "../src/devnet/devnetSummary.ts";
import { DEMO_ROLE_NAMES, DEMO_ROLES } from "../src/demo/roleCli.ts";
import { readTokenUnit } from "../src/chain/tokenUnit.ts";
import type { HeliaContentStore } from "../src/storage/index.ts";
import { isContinuumError } from "../src/core/ContinuumError.ts";
import { createLogger } from "../src/core/logger.ts";

const HELP = `Usage: npm start -- [options]

Starts the Continuum devnet: a Hardhat JSON-RPC node on 127.0.0.1 with the protocol
contracts deployed, three compute categories and funded test accounts; the market
(REST API, chain indexer and matcher); the secret management service (SMS) trusting a
devnet attestation authority; embedded IPFS (Helia) with its HTTP gateway; and the devnet
workerpool's scheduler with two workers. Data lives under the data directory (PGlite
databases, IPFS blocks). Once up, it prints where each service listens, the contracts, and
the test accounts with their private keys (Hardhat's public test keys: devnet only), then
plays the e-Health demo.

Options:
  --chain <node>      the JSON-RPC node: hardhat (default) or anvil (Foundry's, from npm)
  --port <n>          JSON-RPC port (default 8545)
  --market-port <n>   market REST API port (default 8080)
  --sms-port <n>      secret management service port (default 8090)
  --gateway-port <n>  IPFS gateway port (default 8088)
  --collateral-port <n> the devnet's attestation collateral service (PCCS routes) port (default 8081)
  --scheduler-port <n> the devnet workerpool's scheduler port (default 8070)
  --data-dir <dir>    where deployment.json and the databases live (default .continuum)
  --autoscale         run an autoscaled fleet of 1 to 8 workers instead of two fixed ones:
                      HPA's rule on the scheduler's queue (waiting + running tasks per
                      worker, target 1, tolerance 0.1, scale-down window 5 min, a worker
                      more at once when a waiting task has under 60 s of deadline slack)
  --no-demo           do not play the e-Health demo task after start-up
  -h, --help          show this help

A second start on the same data directory resumes where the first stopped (even after
a crash): every transaction is journaled in <data-dir>/chain/journal.ndjson and replayed
to the same blocks, and the deployment, the databases under <data-dir>/db, the SMS master
key, the attestation keys and the workerpool are kept. A chain that cannot be replayed is
moved to <data-dir>/stale/<time>/ and a fresh one started. Delete the data directory to
start from scratch. A data directory's chain resumes only on the node that recorded it.
hardhat_reset, anvil_reset and interval mining are refused (they cannot be replayed). Logs go to standard error (level from CONTINUUM_LOG_LEVEL, default warn here).
`;

/** `--autoscale`: the fleet of 1 to 8 workers under HPA's defaults. */
const DEVNET_AUTOSCALE = {
  min: 1,
  max: 8,
  target: 1,
  tolerance: 0.1,
  scaleDownWindowMs: 5 * 60_000,
  slackThresholdSeconds: 60,
  intervalMs: 2_000,
};

function portOption(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a whole number from 1 to 65535, got "${value}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      chain: { type: "string", default: "hardhat" },
      port: { type: "string", default: "8545" },
      "market-port": { type: "string", default: "8080" },
      "sms-port": { type: "string", default: "8090" },
      "gateway-port": { type: "string", default: "8088" },
      "collateral-port": { type: "string", default: "8081" },
      "scheduler-port": { type: "string", default: "8070" },
      "data-dir": { type: "string", default: ".continuum" },
      "no-demo": { type: "boolean", default: false },
      autoscale: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!isChainNodeKind(values.chain)) {
    throw new Error(`--chain must be one of ${CHAIN_NODE_KINDS.join(", ")}, got "${values.chain}"`);
  }
  const devnet = await startDevnet({
    chain: values.chain,
    dataDir: resolve(values["data-dir"]),
    rpcPort: portOption("--port", values.port),
    marketPort: portOption("--market-port", values["market-port"]),
    smsPort: portOption("--sms-port", values["sms-port"]),
    gatewayPort: portOption("--gateway-port", values["gateway-port"]),
    collateralPort: portOption("--collateral-port", values["collateral-port"]),
    schedulerPort: portOption("--scheduler-port", values["scheduler-port"]),
    ...(values.autoscale ? { autoscale: DEVNET_AUTOSCALE } : {}),
    env: process.env,
    logger: createLogger({ name: "devnet", level: process.env.CONTINUUM_LOG_LEVEL || "warn" }),
    progress: (line) => console.log(line),
  });
  const { deployment } = devnet;
  const roles = devnetRoles(devnet.compute?.workerpool);
  for (const [role, index] of Object.entries(DEMO_ROLES) as [keyof typeof DEMO_ROLES, number][]) {
    roles.set(index, [...(roles.get(index) ?? []), `the demo's ${DEMO_ROLE_NAMES[role]}`]);
  }
  const summary = devnetSummaryLines({
    chainId: String(deployment.chainId),
    rpcUrl: devnet.rpcUrl,
    marketUrl: devnet.market.url,
    smsUrl: devnet.sms.url,
    gatewayUrl: devnet.gateway.url,
    // Workers started with `continuum worker start` exchange content with this node over libp2p.
    ipfsPeer: devnet.storage.backend === "helia" ? (devnet.storage as HeliaContentStore).multiaddrs()[0] : undefined,
    compute: devnet.compute && {
      workerpool: devnet.compute.workerpool,
      schedulerUrl: devnet.compute.scheduler.url,
      ...(values.autoscale ? { autoscale: DEVNET_AUTOSCALE } : {}),
    },
    deployment,
    deploymentFile: devnet.deploymentFile,
    token: await readTokenUnit(devnet.provider, deployment.token),
    funding: DEVNET_FUNDING,
    categories: DEVNET_CATEGORIES,
    accounts: devnetAccounts(devnet.accounts.map((account) => account.address), roles),
  });
  console.log(`\n${summary.join("\n")}`);

  if (!values["no-demo"] && devnet.compute) {
    console.log("\nplaying the e-Health demo (skip with --no-demo; replay with `npm run demo`):");
    try {
      const result = await runEHealthDemo({
        dataDir: resolve(values["data-dir"]),
        marketUrl: devnet.endpoints.marketUrl,
        smsUrl: devnet.endpoints.smsUrl,
        gatewayUrl: devnet.endpoints.gatewayUrl,
        collateralUrl: devnet.endpoints.collateralUrl,
        workerpool: devnet.compute.workerpool,
        workDir: join(resolve(values["data-dir"]), "demo", new Date().toISOString().replace(/[:.]/g, "-")),
        progress: (line) => console.log(`• ${line}`),
      });
      printDemoResult(result, (line) => console.log(line));
    } catch (error) {
      // The stack stays up: the demo failing is news, not a reason to stop serving.
      console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log("\nPress Ctrl-C to stop.");

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping ...");
    await devnet.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const message = isContinuumError(error) || error instanceof Error ? error.message : String(error);
  console.error(`devnet failed: ${message}`);
  process.exit(1);
});
