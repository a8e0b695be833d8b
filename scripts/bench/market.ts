// Market benchmark (`npm run bench:market`): EIP-712 verifications per second, orders per second
// through the intake into the book on the Hardhat devnet, and match latency with 100,000 open
// orders. Prints a table with the targets and writes bench/results/market.json; it reports, it
// does not fail on speed. DATABASE_URL, when set, puts the book on that PostgreSQL server.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FULL_SIZE, formatMarketBench, runMarketBench } from "./market/marketBench.ts";

const result = await runMarketBench({ ...FULL_SIZE, databaseUrl: process.env.DATABASE_URL || undefined });
const directory = join(import.meta.dirname, "..", "..", "bench", "results");
mkdirSync(directory, { recursive: true });
writeFileSync(join(directory, "market.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(formatMarketBench(result));
console.log("\nwritten to bench/results/market.json");
