// stage-merge: one pipeline stage. Reads the deal's dataset (CONTINUUM_DATASET_FILE, when there is
// one) and the outputs of the stages it reads (CONTINUUM_INPUT/stages/<stage>/...), and writes them,
// each under a header naming where it came from, into CONTINUUM_OUTPUT/merged.txt. Params may ask
// it to wait `sleepMs` first (fault tests kill its worker meanwhile).
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const input = process.env.CONTINUUM_INPUT;
const output = process.env.CONTINUUM_OUTPUT;
const params = JSON.parse(process.env.CONTINUUM_PARAMS || "{}");
const sections = [`# stage ${params.stage ?? "?"}`];
if (Number.isInteger(params.sleepMs) && params.sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(params.sleepMs, 60_000)));

if (process.env.CONTINUUM_DATASET_FILE) {
  sections.push("## dataset", (await readFile(process.env.CONTINUUM_DATASET_FILE, "utf8")).trimEnd());
}
const stagesDirectory = join(input, "stages");
const stages = await readdir(stagesDirectory).catch(() => []);
for (const stage of stages.sort()) {
  for (const file of (await readdir(join(stagesDirectory, stage))).sort()) {
    sections.push(`## from stage ${stage}: ${file}`, (await readFile(join(stagesDirectory, stage, file), "utf8")).trimEnd());
  }
}
await writeFile(join(output, "merged.txt"), `${sections.join("\n")}\n`);
