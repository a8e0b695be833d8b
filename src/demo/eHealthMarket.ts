// The e-Health market set up on a running devnet through the CLI, before any request: the app
// developer sells ward-stats, the hospital sells its encrypted vital signs to that app only, the
// compute provider offers the devnet workerpool, and the health department is funded and holds a
// result key. The demo then submits one request; tests and the benchmark submit their own.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateWardVitals, wardVitalsToCsv, type VitalReading } from "../../examples/datasets/wardVitals.ts";
import type { TokenUnit } from "../core/tokenAmount.ts";
import { createRoleCli, DEMO_ROLES, type RoleCli, type RoleCliOptions } from "./roleCli.ts";

export const WARD_STATS_APP = fileURLToPath(new URL("../../examples/apps/ward-stats/", import.meta.url));
/** The generator's seed for the hospital's readings: the same seed, the same dataset. */
export const E_HEALTH_SEED = 2026;
export const E_HEALTH_DEFAULT_DAYS = 14;
/** What the health department asks ward-stats for: SpO2 below 92 % counts as anomalous. */
export const E_HEALTH_PARAMS = '{"thresholds":{"spo2":{"min":92}}}';
/** Prices per task, in tokens: app, dataset, workerpool. */
export const E_HEALTH_PRICES = { app: "1", dataset: "2", workerpool: "3" } as const;

export type EHealthMarketOptions = RoleCliOptions & {
  /** The devnet workerpool's id. */
  workerpool: bigint;
  /** Days of readings generated per ward (default 14). */
  days?: number;
  /** Tasks each of the app, dataset and workerpool orders may serve (default 100). */
  orderVolume?: number;
  /** Tokens the health department deposits into escrow (default 100). */
  deposit?: string;
  progress?: (line: string) => void;
};

export type EHealthMarket = {
  readonly cli: RoleCli;
  readonly workerpool: bigint;
  readonly appId: string;
  readonly datasetId: string;
  readonly datasetOrderHash: string;
  /** The plaintext readings the hospital encrypted. */
  readonly readings: readonly VitalReading[];
  /** The health department's result key file (password-protected). */
  readonly resultKey: string;
  /** The payment token's symbol and decimals, as the escrow deposit reported them. */
  readonly token: TokenUnit;
};

export async function prepareEHealthMarket(options: EHealthMarketOptions): Promise<EHealthMarket> {
  const say = options.progress ?? (() => undefined);
  const volume = String(options.orderVolume ?? 100);
  const cli = createRoleCli(options);
  await mkdir(options.workDir, { recursive: true });
  for (const role of Object.keys(DEMO_ROLES) as (keyof typeof DEMO_ROLES)[]) await cli.importKey(role);

  say("app developer: bundling ward-stats, publishing it to IPFS and registering it (measurement on-chain) ...");
  const app = await cli.json("appDeveloper", ["app", "deploy", WARD_STATS_APP, "--name", "ward-stats"]);
  const appId = String(app.id);
  await cli.json("appDeveloper", ["app", "order", "publish", "--app", appId, "--price", E_HEALTH_PRICES.app, "--volume", volume]);

  const readings = generateWardVitals({ seed: E_HEALTH_SEED, days: options.days ?? E_HEALTH_DEFAULT_DAYS });
  say(`hospital: encrypting ${readings.length} vital-sign readings over ${new Set(readings.map((r) => r.ward)).size} wards ...`);
  const plain = join(options.workDir, "ward-vitals.csv");
  const encrypted = join(options.workDir, "ward-vitals.enc");
  const datasetKey = join(options.workDir, "ward-vitals.key.json");
  await writeFile(plain, wardVitalsToCsv(readings));
  const sealed = await cli.json("hospital", ["dataset", "encrypt", "--in", plain, "--out", encrypted, "--key-out", datasetKey]);
  const published = await cli.json("hospital", ["dataset", "publish", encrypted]);
  const registered = await cli.json("hospital", [
    "dataset", "register", "--name", "ward vital signs (synthetic)", "--cid", String(published.cid), "--checksum", String(sealed.checksum),
  ]);
  const datasetId = String(registered.id);
  say(`hospital: dataset ${datasetId} registered; pushing its key to the SMS and selling it to app ${appId} only ...`);
  await cli.json("hospital", ["dataset", "push-key", datasetId, "--dataset-key", datasetKey]);
  const datasetOrder = await cli.json("hospital", [
    "dataset", "order", "publish", "--dataset", datasetId, "--app", appId, "--price", E_HEALTH_PRICES.dataset, "--volume", volume,
  ]);

  say(`compute provider: offering workerpool ${options.workerpool} for category S ...`);
  await cli.json("provider", [
    "workerpool", "order", "publish", "--workerpool", options.workerpool.toString(), "--category", "1", "--price", E_HEALTH_PRICES.workerpool, "--volume", volume,
  ]);

  say("health department: depositing into escrow and creating its result key ...");
  const resultKey = join(options.workDir, "health-department-result-key.json");
  const deposit = await cli.json("healthDepartment", ["escrow", "deposit", options.deposit ?? "100"]);
  await cli.json("healthDepartment", ["keys", "create-result", "--out", resultKey]);
  const token: TokenUnit = { symbol: String(deposit.token.symbol), decimals: Number(deposit.token.decimals) };
  return { cli, workerpool: options.workerpool, appId, datasetId, datasetOrderHash: String(datasetOrder.hash), readings, resultKey, token };
}

export type EHealthRequest = {
  /** Tasks in the request (default 1). */
  volume?: number;
  /** Another app than ward-stats, on the same dataset. */
  app?: string;
  params?: string;
};

/** The health department submits a request through REST; resolves to the request hash. */
export async function submitEHealthRequest(market: EHealthMarket, request: EHealthRequest = {}): Promise<string> {
  const submitted = await market.cli.json("healthDepartment", [
    "request", "submit", "--app", request.app ?? market.appId, "--app-max-price", E_HEALTH_PRICES.app,
    "--dataset", market.datasetId, "--dataset-max-price", E_HEALTH_PRICES.dataset,
    "--workerpool", market.workerpool.toString(), "--workerpool-max-price", E_HEALTH_PRICES.workerpool, "--category", "1",
    "--volume", String(request.volume ?? 1), "--result-key", market.resultKey, "--params", request.params ?? E_HEALTH_PARAMS,
  ]);
  return String(submitted.hash);
}
