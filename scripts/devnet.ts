// `npm start`: the local devnet. Starts a Hardhat JSON-RPC node on 127.0.0.1, deploys and seeds
// the protocol, writes the deployment under the data directory, prints it, and serves until Ctrl-C.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { JsonRpcProvider, formatUnits } from "ethers";
import { startHardhatNode } from "../src/devnet/hardhatNode.ts";
import { DEVNET_CATEGORIES, DEVNET_FUNDING, seedDevnet } from "../src/devnet/seedDevnet.ts";
import { isContinuumError } from "../src/errors/ContinuumError.ts";

const HELP = `Usage: npm start -- [options]

Starts the Continuum devnet: a Hardhat JSON-RPC node on 127.0.0.1 with the protocol
contracts deployed, three compute categories and funded test accounts.

Options:
  --port <n>        JSON-RPC port (default 8545)
  --data-dir <dir>  where deployment.json is written (default .continuum)
  -h, --help        show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8545" },
      "data-dir": { type: "string", default: ".continuum" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port must be a whole number from 1 to 65535, got "${values.port}"`);
  }
  const dataDir = resolve(values["data-dir"]);

  console.log(`starting Hardhat node on 127.0.0.1:${port} ...`);
  const node = await startHardhatNode({ host: "127.0.0.1", port });
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 500 });
  const accounts = (await provider.listAccounts()).slice(0, 10);
  console.log("deploying and seeding the protocol ...");
  const deployment = await seedDevnet(accounts[0], accounts.map((a) => a.address));

  mkdirSync(dataDir, { recursive: true });
  const deploymentFile = join(dataDir, "deployment.json");
  writeFileSync(deploymentFile, `${JSON.stringify({ rpcUrl: node.url, ...deployment }, null, 2)}\n`);

  console.log(`\nContinuum devnet is up (chain id ${deployment.chainId})`);
  console.log(`  JSON-RPC            ${node.url}`);
  console.table({
    token: deployment.token,
    continuum: deployment.continuum,
    appRegistry: deployment.appRegistry,
    datasetRegistry: deployment.datasetRegistry,
    workerpoolRegistry: deployment.workerpoolRegistry,
  });
  console.log("categories:", DEVNET_CATEGORIES.map((c) => `${c.name} (${c.maxRunTime}s)`).join(", "));
  console.log(`test accounts (Hardhat's default keys), each funded with ${formatUnits(DEVNET_FUNDING, 18)} CTD:`);
  accounts.forEach((account, i) => console.log(`  #${i} ${account.address}${i === 0 ? "  (deployer, protocol owner)" : ""}`));
  console.log(`deployment written to ${deploymentFile}\nPress Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping ...");
    provider.destroy();
    await node.stop();
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
