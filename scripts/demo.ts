// `npm run demo`: plays the smart-city e-Health demo against the devnet `npm start` is running
// (it reads <data-dir>/devnet.json). `npm start` runs the same demo itself unless --no-demo.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEVNET_ENDPOINTS_FILE, type DevnetEndpoints } from "../src/devnet/startDevnet.ts";
import { printDemoResult } from "../src/demo/printDemo.ts";
import { runEHealthDemo } from "../src/demo/eHealthDemo.ts";
import { isContinuumError } from "../src/core/ContinuumError.ts";

const HELP = `Usage: npm run demo -- [--data-dir <dir>]

Plays the e-Health demo through the CLI against a running devnet (start it with
\`npm start -- --no-demo\` in another terminal): a hospital sells encrypted vital signs to an
approved analytics app only, the city's health department pays for a confidential run and
decrypts the per-ward anomaly statistics, and the auditor reads the deal and payments.

Options:
  --data-dir <dir>  the devnet's data directory (default .continuum)
  -h, --help        show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "data-dir": { type: "string", default: ".continuum" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const dataDir = resolve(values["data-dir"]);
  const endpoints = await readEndpoints(dataDir);
  const result = await runEHealthDemo({
    dataDir,
    marketUrl: endpoints.marketUrl,
    smsUrl: endpoints.smsUrl,
    gatewayUrl: endpoints.gatewayUrl,
    collateralUrl: endpoints.collateralUrl,
    workerpool: BigInt(endpoints.workerpool!),
    workDir: join(dataDir, "demo", new Date().toISOString().replace(/[:.]/g, "-")),
    progress: (line) => console.log(`• ${line}`),
  });
  printDemoResult(result, (line) => console.log(line));
}

async function readEndpoints(dataDir: string): Promise<DevnetEndpoints> {
  const path = join(dataDir, DEVNET_ENDPOINTS_FILE);
  let endpoints: DevnetEndpoints;
  try {
    endpoints = JSON.parse(await readFile(path, "utf8")) as DevnetEndpoints;
  } catch {
    throw new Error(`no running devnet found (${path} is missing or unreadable): start one with \`npm start -- --no-demo\``);
  }
  if (!endpoints.workerpool) throw new Error("the running devnet has no workerpool (started without compute)");
  return endpoints;
}

main().catch((error: unknown) => {
  const message = isContinuumError(error) || error instanceof Error ? error.message : String(error);
  console.error(`demo failed: ${message}`);
  process.exit(1);
});
