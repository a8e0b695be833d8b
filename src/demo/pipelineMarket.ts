// A market for pipelines set up on a running devnet through the CLI: the app developer sells the
// stage-merge app, the hospital account sells two small encrypted city datasets (air quality and
// traffic counts) to that app only, the compute provider offers the devnet workerpool, and the
// health department account is funded and holds a result key. Then a three-stage fan-in pipeline
// (clean air, clean traffic, join) is written and submitted with `continuum pipeline submit`.
// The end-to-end test uses it; `demo:pipeline` and `bench:pipeline` can build on it.
import { mkdir, writeFile } from "node:fs/promises";
import { parseUnits } from "ethers";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PipelineStatusJson } from "../wire/marketApi/pipelineStatus.ts";
import type { PipelineDocument } from "../wire/pipelines/index.ts";
import { createRoleCli, DEMO_ROLES, type RoleCli, type RoleCliOptions } from "./roleCli.ts";

export const STAGE_MERGE_APP = fileURLToPath(new URL("../../examples/apps/stage-merge/", import.meta.url));
/** Prices per stage, in tokens: app, dataset, workerpool (the document states them in the token's base units). */
export const PIPELINE_PRICES = { app: "1", dataset: "2", workerpool: "3" } as const;
/** The two city datasets, as plaintext CSV. */
export const CITY_DATASETS = {
  air: "district,pm25,no2\nnorth,12.5,21\ncentre,31.0,44\nsouth,18.2,30\n",
  traffic: "district,vehicles_per_hour\nnorth,820\ncentre,2410\nsouth,1130\n",
} as const;

export type PipelineMarketOptions = RoleCliOptions & { workerpool: bigint; orderVolume?: number; deposit?: string; progress?: (line: string) => void };

export type PipelineMarket = {
  readonly cli: RoleCli;
  readonly workerpool: bigint;
  readonly appId: string;
  readonly datasets: { air: string; traffic: string };
  /** The health department's result key file. */
  readonly resultKey: string;
  /** The payment token's decimals: a document's prices are in base units. */
  readonly decimals: number;
  readonly workDir: string;
};

export async function preparePipelineMarket(options: PipelineMarketOptions): Promise<PipelineMarket> {
  const say = options.progress ?? (() => undefined);
  const volume = String(options.orderVolume ?? 100);
  const cli = createRoleCli(options);
  await mkdir(options.workDir, { recursive: true });
  for (const role of Object.keys(DEMO_ROLES) as (keyof typeof DEMO_ROLES)[]) await cli.importKey(role);

  say("app developer: deploying stage-merge ...");
  const app = await cli.json("appDeveloper", ["app", "deploy", STAGE_MERGE_APP, "--name", "stage-merge"]);
  const appId = String(app.id);
  await cli.json("appDeveloper", ["app", "order", "publish", "--app", appId, "--price", PIPELINE_PRICES.app, "--volume", volume]);

  const datasets: Record<string, string> = {};
  for (const [name, csv] of Object.entries(CITY_DATASETS)) {
    say(`data owner: encrypting, publishing and registering the ${name} dataset, pushing its key, selling it to app ${appId} ...`);
    const plain = join(options.workDir, `${name}.csv`);
    const encrypted = join(options.workDir, `${name}.enc`);
    const key = join(options.workDir, `${name}.key.json`);
    await writeFile(plain, csv);
    const sealed = await cli.json("hospital", ["dataset", "encrypt", "--in", plain, "--out", encrypted, "--key-out", key]);
    const published = await cli.json("hospital", ["dataset", "publish", encrypted]);
    const registered = await cli.json("hospital", ["dataset", "register", "--name", `city ${name}`, "--cid", String(published.cid), "--checksum", String(sealed.checksum)]);
    datasets[name] = String(registered.id);
    await cli.json("hospital", ["dataset", "push-key", datasets[name]!, "--dataset-key", key]);
    await cli.json("hospital", ["dataset", "order", "publish", "--dataset", datasets[name]!, "--app", appId, "--price", PIPELINE_PRICES.dataset, "--volume", volume]);
  }

  say(`compute provider: offering workerpool ${options.workerpool} for category S ...`);
  await cli.json("provider", ["workerpool", "order", "publish", "--workerpool", options.workerpool.toString(), "--category", "1", "--price", PIPELINE_PRICES.workerpool, "--volume", volume]);

  say("requester: depositing into escrow and creating its result key ...");
  const resultKey = join(options.workDir, "requester-result-key.json");
  const deposit = await cli.json("healthDepartment", ["escrow", "deposit", options.deposit ?? "100"]);
  await cli.json("healthDepartment", ["keys", "create-result", "--out", resultKey]);
  const decimals = Number(deposit.token.decimals);
  return { cli, workerpool: options.workerpool, appId, datasets: { air: datasets.air!, traffic: datasets.traffic! }, resultKey, decimals, workDir: options.workDir };
}

/** Clean air and clean traffic (one dataset each), joined by district: fan-in at the join. */
export function fanInPipeline(market: PipelineMarket, name = "air quality and traffic by district"): PipelineDocument {
  const units = (tokens: string) => parseUnits(tokens, market.decimals).toString();
  const stage = (id: string, inputs: PipelineDocument["stages"][number]["inputs"], datasetPrice: string) => ({
    id,
    app: market.appId,
    inputs,
    category: "1",
    prices: { app: units(PIPELINE_PRICES.app), dataset: units(datasetPrice), workerpool: units(PIPELINE_PRICES.workerpool) },
    workerpool: market.workerpool.toString(),
  });
  return {
    version: 1,
    name,
    stages: [
      stage("clean-air", [{ dataset: market.datasets.air }], PIPELINE_PRICES.dataset),
      stage("clean-traffic", [{ dataset: market.datasets.traffic }], PIPELINE_PRICES.dataset),
      stage("join", [{ stage: "clean-air" }, { stage: "clean-traffic" }], "0"),
    ],
  };
}

/** Writes the document and submits it as the requester; resolves to the market's answer. */
export async function submitPipelineDocument(market: PipelineMarket, document: PipelineDocument, file = "pipeline.json"): Promise<PipelineStatusJson> {
  const path = join(market.workDir, file);
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return (await market.cli.json("healthDepartment", ["pipeline", "submit", path, "--result-key", market.resultKey])) as PipelineStatusJson;
}
