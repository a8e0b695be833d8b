// `npm run demo`: plays the smart-city e-Health demo against the devnet `npm start` is running
// (it reads <data-dir>/devnet.json), or a fresh one when none is. `npm start` runs the same demo
// itself unless --no-demo.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { demoDevnet, runDemoScript } from "./demo/runningDevnet.ts";
import { printDemoResult } from "../src/demo/printDemo.ts";
import { runEHealthDemo } from "../src/demo/eHealthDemo.ts";

const HELP = `Usage: npm run demo -- [--data-dir <dir>]

Plays the e-Health demo through the CLI: a hospital sells encrypted vital signs to an approved
analytics app only, the city's health department pays for a confidential run and decrypts the
per-ward anomaly statistics, and the auditor reads the deal and payments.

Plays against the devnet running from --data-dir (\`npm start -- --no-demo\` in another terminal);
when none is running there, starts a fresh devnet for the demo and stops it after.

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
  const say = (line: string) => console.log(`• ${line}`);
  const devnet = await demoDevnet(resolve(values["data-dir"]), say);
  try {
    const { endpoints } = devnet;
    const result = await runEHealthDemo({
      dataDir: devnet.dataDir,
      marketUrl: endpoints.marketUrl,
      smsUrl: endpoints.smsUrl,
      gatewayUrl: endpoints.gatewayUrl,
      collateralUrl: endpoints.collateralUrl,
      workerpool: BigInt(endpoints.workerpool),
      workDir: join(devnet.dataDir, "demo", new Date().toISOString().replace(/[:.]/g, "-")),
      progress: say,
    });
    printDemoResult(result, (line) => console.log(line));
  } finally {
    await devnet.close();
  }
}

runDemoScript("demo", main);
