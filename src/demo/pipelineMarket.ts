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

type PipelineStage = PipelineDocument["stages"][number];
import { createRoleCli, DEMO_ROLE_NAMES, type RoleCli, type RoleCliOptions, type SigningRole } from "./roleCli.ts";

export const STAGE_MERGE_APP = fileURLToPath(new URL("../../examples/apps/stage-merge/", import.meta.url));
/** Prices per stage, in tokens: app, dataset, workerpool (the document states them in the token's base units). */
export const PIPELINE_PRICES = { app: "1", dataset: "2", workerpool: "3" } as const;
/** The two city datasets, as plaintext CSV. */
export const CITY_DATASETS = {
  air: "district,pm25,no2\nnorth,12.5,21\ncentre,31.0,44\nsouth,18.2,30\n",
  traffic: "district,vehicles_per_hour\nnorth,820\ncentre,2410\nsouth,1130\n",
} as const;

export type PipelineMarketOptions = RoleCliOptions & { workerpool: bigint; orderVolume?: number; deposit?: string; progress?: (line: string) => void };

/** A dataset of a pipeline market: its name on-chain, the role that owns and sells it, its plaintext. */
export type PipelineDatasetSpec = { name: string; owner: SigningRole; content: string; file: string };

/** What a pipeline market sells: one app (a bundle directory) for every stage, and named datasets. */
export type PipelineMarketSpec = { appDir: string; appName: string; datasets: Readonly<Record<string, PipelineDatasetSpec>> };

export type PipelineMarket = {
  readonly cli: RoleCli;
  readonly workerpool: bigint;
  readonly appId: string;
  /** Registered dataset ids by the spec's dataset key. */
  readonly datasets: Readonly<Record<string, string>>;
  /** The requester's (health department's) result key file. */
  readonly resultKey: string;
  /** The payment token's decimals: a document's prices are in base units. */
  readonly decimals: number;
  readonly workDir: string;
};

/** The stage-merge market of the end-to-end test: both datasets sold by the hospital account. */
export async function preparePipelineMarket(options: PipelineMarketOptions): Promise<PipelineMarket> {
  return setUpPipelineMarket(options, {
    appDir: STAGE_MERGE_APP,
    appName: "stage-merge",
    datasets: {
      air: { name: "city air", owner: "hospital", content: CITY_DATASETS.air, file: "air.csv" },
      traffic: { name: "city traffic", owner: "hospital", content: CITY_DATASETS.traffic, file: "traffic.csv" },
    },
  });
}

/**
 * Through the CLI: the app developer deploys and sells the app, each dataset's owner encrypts,
 * publishes, registers it, pushes its key to the SMS and sells it to that app only, the compute
 * provider offers the workerpool for category 1, and the requester deposits and makes a result key.
 */
export async function setUpPipelineMarket(options: PipelineMarketOptions, spec: PipelineMarketSpec): Promise<PipelineMarket> {
  const say = options.progress ?? (() => undefined);
  const volume = String(options.orderVolume ?? 100);
  const cli = createRoleCli(options);
  await mkdir(options.workDir, { recursive: true });
  const roles = new Set<SigningRole>(["appDeveloper", "provider", "healthDepartment", ...Object.values(spec.datasets).map((dataset) => dataset.owner)]);
  for (const role of roles) await cli.importKey(role);

  say(`app developer: deploying ${spec.appName} and selling it ...`);
  const app = await cli.json("appDeveloper", ["app", "deploy", spec.appDir, "--name", spec.appName]);
  const appId = String(app.id);
  await cli.json("appDeveloper", ["app", "order", "publish", "--app", appId, "--price", PIPELINE_PRICES.app, "--volume", volume]);

  const datasets: Record<string, string> = {};
  for (const [key, dataset] of Object.entries(spec.datasets)) {
    say(`${ROLE_NAMES[dataset.owner]}: encrypting, publishing and registering "${dataset.name}", pushing its key to the SMS, selling it to app ${appId} only ...`);
    const plain = join(options.workDir, dataset.file);
    const encrypted = join(options.workDir, `${key}.enc`);
    const datasetKey = join(options.workDir, `${key}.key.json`);
    await writeFile(plain, dataset.content);
    const sealed = await cli.json(dataset.owner, ["dataset", "encrypt", "--in", plain, "--out", encrypted, "--key-out", datasetKey]);
    const published = await cli.json(dataset.owner, ["dataset", "publish", encrypted]);
    const registered = await cli.json(dataset.owner, ["dataset", "register", "--name", dataset.name, "--cid", String(published.cid), "--checksum", String(sealed.checksum)]);
    datasets[key] = String(registered.id);
    await cli.json(dataset.owner, ["dataset", "push-key", datasets[key]!, "--dataset-key", datasetKey]);
    await cli.json(dataset.owner, ["dataset", "order", "publish", "--dataset", datasets[key]!, "--app", appId, "--price", PIPELINE_PRICES.dataset, "--volume", volume]);
  }

  say(`compute provider: offering workerpool ${options.workerpool} for category 1 ...`);
  await cli.json("provider", ["workerpool", "order", "publish", "--workerpool", options.workerpool.toString(), "--category", "1", "--price", PIPELINE_PRICES.workerpool, "--volume", volume]);

  say("requester: depositing into escrow and creating its result key ...");
  const resultKey = join(options.workDir, "requester-result-key.json");
  const deposit = await cli.json("healthDepartment", ["escrow", "deposit", options.deposit ?? "100"]);
  await cli.json("healthDepartment", ["keys", "create-result", "--out", resultKey]);
  const decimals = Number(deposit.token.decimals);
  return { cli, workerpool: options.workerpool, appId, datasets, resultKey, decimals, workDir: options.workDir };
}

/** How progress lines name a role. */
const ROLE_NAMES: Readonly<Record<SigningRole, string>> = {
  ...DEMO_ROLE_NAMES,
  environmentDepartment: "environment department",
  mobilityDepartment: "mobility department",
};

/** Clean air and clean traffic (one dataset each), joined by district: fan-in at the join. */
export function fanInPipeline(
  market: PipelineMarket,
  name = "air quality and traffic by district",
  stageParams: Readonly<Record<string, NonNullable<PipelineStage["params"]>>> = {},
): PipelineDocument {
  const units = (tokens: string) => parseUnits(tokens, market.decimals).toString();
  const stage = (id: string, inputs: PipelineStage["inputs"], datasetPrice: string): PipelineStage => ({
    id,
    app: market.appId,
    inputs,
    category: "1",
    prices: { app: units(PIPELINE_PRICES.app), dataset: units(datasetPrice), workerpool: units(PIPELINE_PRICES.workerpool) },
    workerpool: market.workerpool.toString(),
    ...(stageParams[id] === undefined ? {} : { params: stageParams[id] }),
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
