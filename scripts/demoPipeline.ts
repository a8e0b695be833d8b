// `npm run demo:pipeline`: the confidential-pipeline demo (src/demo/cityPipelineDemo.ts) against the
// devnet `npm start` is running, or a fresh one when none is.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatCityPipelineDemo, runCityPipelineDemo } from "../src/demo/cityPipelineDemo.ts";
import { demoDevnet, runDemoScript } from "./demo/runningDevnet.ts";

const HELP = `Usage: npm run demo:pipeline -- [--data-dir <dir>] [--seed N]

Plays the confidential-pipeline demo through the CLI: the environment department sells air-quality
sensor readings and the mobility department sells traffic counts, each to the district-air app only;
a requester runs a three-stage pipeline (clean-air and clean-traffic, then a join per district that
reads both) in attested enclaves. The cleaned data passes between enclaves sealed under keys only
the SMS holds; only the join's per-district result is encrypted to the requester, who decrypts it.

Plays against the devnet running from --data-dir (\`npm start -- --no-demo\` in another terminal);
when none is running there, starts a fresh devnet for the demo and stops it after.

Options:
  --data-dir <dir>  the devnet's data directory (default .continuum)
  --seed N          seed of the generated city datasets (default 2030)
  -h, --help        show this help
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    options: {
      "data-dir": { type: "string", default: ".continuum" },
      seed: { type: "string", default: "2030" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (!/^[0-9]{1,9}$/.test(values.seed)) throw new Error("--seed must be a whole number (see --help)");
  const say = (line: string) => console.log(`• ${line}`);
  const devnet = await demoDevnet(resolve(values["data-dir"]), say);
  try {
    const result = await runCityPipelineDemo({
      dataDir: devnet.dataDir,
      marketUrl: devnet.endpoints.marketUrl,
      smsUrl: devnet.endpoints.smsUrl,
      gatewayUrl: devnet.endpoints.gatewayUrl,
      workerpool: BigInt(devnet.endpoints.workerpool),
      workDir: join(devnet.dataDir, "demo-pipeline", new Date().toISOString().replace(/[:.]/g, "-")),
      seed: Number(values.seed),
      progress: say,
    });
    console.log(formatCityPipelineDemo(result));
    if (devnet.startedHere) console.log("(this devnet stops now; to browse the explorer afterwards, play against `npm start -- --no-demo`)");
  } finally {
    await devnet.close();
  }
}

runDemoScript("demo:pipeline", main);
