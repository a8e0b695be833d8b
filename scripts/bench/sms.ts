// SMS benchmark (`npm run bench:sms`): full sessions per second against the Hardhat chain and the
// database (in process, and over HTTP) beside the per-session crypto floor on one thread (DCAP
// verification warm, two secp256k1 recoveries, one seal agreement), p99 latency with 64 sessions in
// flight, and the adversarial catalog.
// Prints a table with targets, writes bench/results/sms.json, exits non-zero when a target fails.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FULL_SIZE, formatSmsBench, runSmsBench } from "./sms/smsBench.ts";

const result = await runSmsBench(FULL_SIZE);
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "sms.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(formatSmsBench(result));
console.log(`\nwritten to bench/results/sms.json (${result.details.sessions} sessions in process and over HTTP, ${result.details.sessionConcurrency} in flight)`);
if (!result.pass) process.exitCode = 1;
