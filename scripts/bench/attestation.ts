// Attestation benchmark (`npm run bench:attestation`): DCAP quotes verified per second by our
// verifier warm and cold and by dcap-qvl on the same quotes, side by side, and their verdicts compared.
// Prints a table with targets, writes bench/results/attestation.json, exits non-zero when a target fails.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatAttestationBench, FULL_SIZE, runAttestationBench } from "./attestation/attestationBench.ts";

const result = await runAttestationBench(FULL_SIZE);
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "attestation.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(formatAttestationBench(result));
console.log("\nwritten to bench/results/attestation.json");
if (!result.pass) process.exitCode = 1;
