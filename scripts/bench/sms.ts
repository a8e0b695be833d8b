// SMS benchmark (`npm run bench:sms`): raw quote verifications per second, full session releases
// per second against the Hardhat chain and the database (in process, and over HTTP), the
// per-session crypto floor that bounds their ratio, and the adversarial catalog.
// Prints a table with targets, writes bench/results/sms.json, exits non-zero when a target fails.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FULL_SIZE, formatSmsBench, runSmsBench } from "./sms/smsBench.ts";

const result = await runSmsBench(FULL_SIZE);
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "sms.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(formatSmsBench(result));
console.log(`\nwritten to bench/results/sms.json (releases: ${result.details.releasePath} and over HTTP, ${result.details.releaseConcurrency} in flight)`);
if (!result.pass) process.exitCode = 1;
