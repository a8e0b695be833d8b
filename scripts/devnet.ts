// `npm start`: the local devnet. Starts a Hardhat JSON-RPC node on 127.0.0.1, deploys and seeds
// the protocol (or resumes the data directory's chain), starts the services beside it, prints
// where everything is, and serves until Ctrl-C.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatUnits } from "ethers";
import { startDevnet } from "../src/devnet/startDevnet.ts";
import { runEHealthDemo } from "../src/demo/eHealthDemo.ts";
import { printDemoResult } from "../src/demo/printDemo.ts";
import { DEVNET_CATEGORIES, DEVNET_FUNDING } from "../src/devnet/seedDevnet.ts";
import type { HeliaContentStore } from "../src/storage/index.ts";
import { isContinuumError } from "../src/core/ContinuumError.ts";
import { createLogger } from "../src/core/logger.ts";

const HELP = `Usage: npm start -- [options]

Starts the Continuum devnet: a Hardhat JSON-RPC node on 127.0.0.1 with the protocol
contracts deployed, three compute categories and funded test accounts; the market
(REST API, chain indexer and matcher); the secret management service (SMS) trusting a
devnet attestation authority; and embedded IPFS (Helia) with its HTTP gateway. Data lives
under the data directory (PGlite databases, IPFS blocks).

Options:
  --port <n>          JSON-RPC port (default 8545)
  --market-port <n>   market REST API port (default 8080)
  --sms-port <n>      secret management service port (default 8090)
  --gateway-port <n>  IPFS gateway port (default 8088)
  --collateral-port <n> the devnet's attestation collateral service (PCCS routes) port (default 8081)
  --scheduler-port <n> the devnet workerpool's scheduler port (default 8070)
  --data-dir <dir>    where deployment.json and the databases live (default .continuum)
  --no-demo           do not play the e-Health demo task after start-up
  -h, --help          show this help

A second start on the same data directory resumes where the first stopped (even after
a crash): every transaction is journaled in <data-dir>/chain/journal.ndjson and replayed
to the same blocks, and the deployment, the databases under <data-dir>/db, the SMS master
key, the attestation keys and the workerpool are kept. A chain that cannot be replayed is
moved to <data-dir>/stale/<time>/ and a fresh one started. Delete the data directory to
start from scratch. hardhat_reset and evm_setIntervalMining are refused (they cannot be
replayed). Logs go to standard error (level from CONTINUUM_LOG_LEVEL, default warn here).
`;

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
      port: { type: "string", default: "8545" },
      "market-port": { type: "string", default: "8080" },
      "sms-port": { type: "string", default: "8090" },
      "gateway-port": { type: "string", default: "8088" },
      "collateral-port": { type: "string", default: "8081" },
      "scheduler-port": { type: "string", default: "8070" },
      "data-dir": { type: "string", default: ".continuum" },
      "no-demo": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const devnet = await startDevnet({
    dataDir: resolve(values["data-dir"]),
    rpcPort: portOption("--port", values.port),
    marketPort: portOption("--market-port", values["market-port"]),
    smsPort: portOption("--sms-port", values["sms-port"]),
    gatewayPort: portOption("--gateway-port", values["gateway-port"]),
    collateralPort: portOption("--collateral-port", values["collateral-port"]),
    schedulerPort: portOption("--scheduler-port", values["scheduler-port"]),
    env: process.env,
    logger: createLogger({ name: "devnet", level: process.env.CONTINUUM_LOG_LEVEL || "warn" }),
    progress: (line) => console.log(line),
  });
  const { deployment } = devnet;

  console.log(`\nContinuum devnet is up (chain id ${deployment.chainId})`);
  console.log(`  JSON-RPC            ${devnet.rpcUrl}`);
  console.log(`  market API          ${devnet.market.url}/v1`);
  console.log(`  OpenAPI document    ${devnet.market.url}/openapi.json`);
  console.log(`  live feed (SSE)     ${devnet.market.url}/v1/feed`);
  console.log(`  SMS                 ${devnet.sms.url}/v1`);
  console.log(`  IPFS gateway        ${devnet.gateway.url}/ipfs/<cid>`);
  if (devnet.storage.backend === "helia") {
    // Workers started with `continuum worker start` exchange content with this node over libp2p.
    const peer = (devnet.storage as HeliaContentStore).multiaddrs()[0];
    if (peer) console.log(`  IPFS peer           ${peer}   (for \`continuum worker start --ipfs-peer\`)`);
  }
  if (devnet.compute) {
    const { workerpool, scheduler, workers } = devnet.compute;
    console.log(`  scheduler           ${scheduler.url}/v1   (workerpool ${workerpool}, owner ${scheduler.ownerAddress})`);
    console.log(`  workers             ${workers.map((worker) => worker.address).join(", ")}`);
  }
  console.table({
    token: deployment.token,
    continuum: deployment.continuum,
    appRegistry: deployment.appRegistry,
    datasetRegistry: deployment.datasetRegistry,
    workerpoolRegistry: deployment.workerpoolRegistry,
  });
  console.log("categories:", DEVNET_CATEGORIES.map((c) => `${c.name} (${c.maxRunTime}s)`).join(", "));
  console.log(`test accounts (Hardhat's default keys), each funded with ${formatUnits(DEVNET_FUNDING, 18)} CTD:`);
  devnet.accounts.forEach((account, i) => console.log(`  #${i} ${account.address}${i === 0 ? "  (deployer, protocol owner)" : ""}`));
  console.log(`deployment written to ${devnet.deploymentFile}`);

  if (!values["no-demo"] && devnet.compute) {
    console.log("\nplaying the e-Health demo (skip with --no-demo; replay with `npm run demo`):");
    try {
      const result = await runEHealthDemo({
        dataDir: resolve(values["data-dir"]),
        marketUrl: devnet.endpoints.marketUrl,
        smsUrl: devnet.endpoints.smsUrl,
        gatewayUrl: devnet.endpoints.gatewayUrl,
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
