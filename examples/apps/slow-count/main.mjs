// slow-count: a test app that stays busy for params.sleepMs, then writes how many lines the input
// files hold. Fault tests kill the worker running it while it sleeps.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const input = process.env.CONTINUUM_INPUT;
const output = process.env.CONTINUUM_OUTPUT;
const params = process.env.CONTINUUM_PARAMS ? JSON.parse(process.env.CONTINUUM_PARAMS) : {};
await new Promise((resolve) => setTimeout(resolve, Number(params.sleepMs ?? 0)));
const lines = readdirSync(input)
  .map((file) => readFileSync(join(input, file), "utf8").split("\n").filter((line) => line.trim() !== "").length)
  .reduce((sum, count) => sum + count, 0);
writeFileSync(join(output, "count.json"), `${JSON.stringify({ lines })}\n`);
