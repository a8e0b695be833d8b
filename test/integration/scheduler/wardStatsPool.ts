// A workerpool ready to run confidential ward-stats tasks, on the SMS harness (the in-process
// chain and the real SMS over HTTP): the Node ward-stats app and an encrypted ward-vitals dataset
// registered and stored in Helia, the dataset's key pushed to the SMS, and a real scheduler for
// workerpool 1 on PGlite. Shared by the elastic-pool tests and the autoscale benchmark.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packBundle } from "../../../src/apps/index.ts";
import { loadConfig, type ConfigInput } from "../../../src/config/index.ts";
import { encryptDataset } from "../../../src/crypto/index.ts";
import type { HeliaContentStore } from "../../../src/storage/index.ts";
import { startScheduler, type RunningScheduler } from "../../../scheduler/startScheduler.ts";
import { generateWardVitals, wardVitalsToCsv } from "../../../examples/datasets/wardVitals.ts";
import type { Signer } from "ethers";
import { resultPublicKeyToHex } from "../../../src/crypto/index.ts";
import { appOrder, datasetOrder, defaultOrders, matchDeal, requestOrder, workerpoolOrder } from "../../helpers/protocolFixture.ts";
import { pushSecret, type Harness } from "../sms/smsHarness.ts";
import { freePort } from "../../helpers/freePort.ts";

export const WARD_STATS_NODE = fileURLToPath(new URL("../../../examples/apps/ward-stats-node/", import.meta.url));

/** Registers ward-stats (app 1) and a ward-vitals dataset (dataset 2) and pushes the dataset's key. */
export async function sellWardStats(h: Harness, store: HeliaContentStore, seed: number): Promise<void> {
  const { f } = h;
  const encrypted = encryptDataset(Buffer.from(wardVitalsToCsv(generateWardVitals({ seed }))));
  const packed = await packBundle(WARD_STATS_NODE);
  await f.apps.registerApp(f.appOwner.address, "ward-stats", await store.add(packed.bytes), packed.checksum, packed.measurement);
  await f.datasets.registerDataset(f.datasetOwner.address, "ward vitals", await store.add(encrypted.encrypted), encrypted.checksum);
  const pushed = await pushSecret(h, { kind: "dataset", asset: 2n, owner: f.datasetOwner.address, signer: f.datasetOwner, value: encrypted.key });
  if (pushed.result.status !== 201) throw new Error(`cannot push the dataset key: ${pushed.result.status} ${pushed.result.text}`);
}

/** A scheduler for workerpool 1 with its data under `dataDir`, tuned by `tuning` (heartbeats, batches). */
export async function startPoolScheduler(h: Harness, dataDir: string, tuning: NonNullable<ConfigInput["scheduler"]>): Promise<RunningScheduler> {
  return startScheduler({
    config: loadConfig({ env: {}, overrides: { dataDir, scheduler: { port: await freePort(), ...tuning } } }),
    owner: h.f.poolOwner,
    provider: h.f.ethers.provider,
    deployment: h.f.deployment,
    workerpool: 1n,
    database: { pgliteDir: join(dataDir, "scheduler-db") },
  });
}

/** The ward-stats task params these pools run with. */
export const WARD_STATS_PARAMS = '{"thresholds":{"spo2":{"min":91}}}';

/**
 * A matched deal of `volume` ward-stats tasks on the pool's app (2) and dataset (2), results for
 * `resultPublicKey`; by the fixture's requester unless `requester` signs, with `params` (default WARD_STATS_PARAMS).
 */
export async function matchWardStatsDeal(
  h: Harness,
  volume: bigint,
  resultPublicKey: Uint8Array,
  options: { requester?: Signer & { address: string }; params?: string } = {},
): Promise<string> {
  const { f } = h;
  const requester = options.requester ?? f.requester;
  const orders = await defaultOrders(f, {
    app: await appOrder(f, { app: 2n, volume }),
    dataset: await datasetOrder(f, { dataset: 2n, appRestrict: 2n, volume }),
    workerpool: await workerpoolOrder(f, { volume }),
    request: await requestOrder(f, {
      app: 2n,
      dataset: 2n,
      volume,
      params: options.params ?? WARD_STATS_PARAMS,
      requester: requester.address,
      resultPublicKey: resultPublicKeyToHex(resultPublicKey),
    }),
  });
  return (await matchDeal(f, orders, { request: requester })).dealId;
}
