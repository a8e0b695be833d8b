// ward-stats entrypoint: reads every dataset file in the input directory (CSV or JSON readings of
// ward, day, patient, heartRate, systolic, spo2, temperature) and writes ward-stats.json.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { computeWardStats, parseReadings, thresholdsFrom } from "./wardStats.mjs";

const OUTPUT_FILE = "ward-stats.json";

function argument(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function fail(message) {
  process.stderr.write(`ward-stats: ${message}\n`);
  process.exit(2);
}

const inputDirectory = process.env.CONTINUUM_INPUT ?? argument("input");
const outputDirectory = process.env.CONTINUUM_OUTPUT ?? argument("output");
if (!inputDirectory || !outputDirectory) fail("set CONTINUUM_INPUT and CONTINUUM_OUTPUT (or --input and --output)");

let params;
try {
  params = process.env.CONTINUUM_PARAMS ? JSON.parse(process.env.CONTINUUM_PARAMS) : undefined;
} catch {
  fail("task params must be JSON, e.g. {\"thresholds\":{\"spo2\":{\"min\":90}}}");
}

const files = readdirSync(inputDirectory, { withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => entry.name)
  .sort();
if (files.length === 0) fail("the input directory holds no dataset");

let rows;
let thresholds;
try {
  rows = files.flatMap((file) => parseReadings(readFileSync(join(inputDirectory, file), "utf8")));
  thresholds = thresholdsFrom(params);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const statistics = { app: "ward-stats", version: "1.0.0", ...computeWardStats(rows, thresholds) };
writeFileSync(join(outputDirectory, OUTPUT_FILE), `${JSON.stringify(statistics, null, 2)}\n`);
