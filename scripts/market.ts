// `npm run market`: the market service alone (REST API, chain indexer, matcher) against a chain
// that is already running, configured from the environment and an optional config file.
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/index.ts";
import { isContinuumError } from "../src/core/ContinuumError.ts";
import { startMarket } from "../src/market/service/startMarket.ts";

const HELP = `Usage: npm run market -- [--config <file>]

Starts the market service against a running chain: the REST API under /v1, the chain indexer
and, when CONTINUUM_MATCHER_KEY is set, the matcher. Reads the deployment from
<data dir>/deployment.json (CONTINUUM_DEPLOYMENT_FILE to change). Configuration comes from
CONTINUUM_* variables, DATABASE_URL and the optional JSON config file; see the README.

Options:
  --config <file>   JSON configuration file (else CONTINUUM_CONFIG)
  -h, --help        show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: "string" }, help: { type: "boolean", short: "h", default: false } } });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const config = loadConfig({ env: process.env, file: values.config });
  const market = await startMarket({ config });
  process.stdout.write(`market listening on ${market.url}/v1 (OpenAPI at ${market.url}/openapi.json)\n`);
  const stop = () => void market.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const message = isContinuumError(error) || error instanceof Error ? error.message : String(error);
  process.stderr.write(`market failed: ${message}\n`);
  process.exit(1);
});
