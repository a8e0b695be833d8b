// The orders a busy market receives, for the devnet: app, dataset, workerpool and request orders
// over its assets, categories, tags and restrictions, each signed by its rightful key and valid,
// so the intake runs every check and accepts them all.
import type { Wallet } from "ethers";
import { publishBodyOf } from "../../../src/wire/marketApi/orderJson.ts";
import type { OrderSubmission } from "../../../src/market/book/index.ts";
import {
  TAG_TEE,
  ZERO_ADDRESS,
  signOrder,
  type AppOrder,
  type DatasetOrder,
  type OrderKind,
  type OrderOf,
  type RequestOrder,
  type WorkerpoolOrder,
} from "../../../src/wire/eip712/index.ts";
import type { MarketDevnet } from "./marketDevnet.ts";
import type { SeededRandom } from "./seededRandom.ts";

/** A typed order with its signature, as a client holds it before posting. */
export type SignedSample = { kind: OrderKind; order: OrderOf<OrderKind>; signature: string; signer: string };

const tagOf = (bits: bigint) => `0x${bits.toString(16).padStart(64, "0")}`;
const TAGS = [tagOf(0n), tagOf(TAG_TEE)];

function restrictId(random: SeededRandom, probability: number, ids: readonly { id: bigint }[]): bigint {
  return random.chance(probability) ? random.pick(ids).id : 0n;
}

function restrictRequester(random: SeededRandom, probability: number, requesters: readonly Wallet[]): string {
  return random.chance(probability) ? random.pick(requesters).address : ZERO_ADDRESS;
}

/** One valid order of a random kind (30% app, 25% dataset, 25% workerpool, 20% request) and the key that must sign it. */
function drawOrder(devnet: MarketDevnet, random: SeededRandom): { kind: OrderKind; order: OrderOf<OrderKind>; signer: Wallet } {
  const draw = random.next();
  const common = { volume: random.bigint(1, 100), tag: random.pick(TAGS), salt: random.bytes32(), expiry: devnet.expiry };
  if (draw < 0.3) {
    const app = random.pick(devnet.apps);
    const order: AppOrder = {
      ...common, app: app.id, price: random.bigint(1, 50), datasetRestrict: restrictId(random, 0.1, devnet.datasets),
      workerpoolRestrict: restrictId(random, 0.1, devnet.workerpools), requesterRestrict: restrictRequester(random, 0.1, devnet.requesters),
      assetEpoch: 0n,
    };
    return { kind: "app", order, signer: app.owner };
  }
  if (draw < 0.55) {
    const dataset = random.pick(devnet.datasets);
    const order: DatasetOrder = {
      ...common, dataset: dataset.id, price: random.bigint(1, 50), appRestrict: restrictId(random, 0.4, devnet.apps),
      workerpoolRestrict: restrictId(random, 0.1, devnet.workerpools), requesterRestrict: restrictRequester(random, 0.15, devnet.requesters),
      assetEpoch: 0n,
    };
    return { kind: "dataset", order, signer: dataset.owner };
  }
  if (draw < 0.8) {
    const pool = random.pick(devnet.workerpools);
    const order: WorkerpoolOrder = {
      ...common, workerpool: pool.id, price: random.bigint(1, 100), category: random.pick(devnet.categories),
      appRestrict: restrictId(random, 0.05, devnet.apps), datasetRestrict: restrictId(random, 0.05, devnet.datasets),
      requesterRestrict: restrictRequester(random, 0.05, devnet.requesters),
      assetEpoch: 0n,
    };
    return { kind: "workerpool", order, signer: pool.owner };
  }
  const requester = random.pick(devnet.requesters);
  const order: RequestOrder = {
    ...common, volume: random.bigint(1, 10), app: random.pick(devnet.apps).id, appMaxPrice: random.bigint(10, 50),
    dataset: restrictId(random, 0.7, devnet.datasets), datasetMaxPrice: random.bigint(10, 50),
    workerpool: restrictId(random, 0.2, devnet.workerpools), workerpoolMaxPrice: random.bigint(20, 100),
    requester: requester.address, category: random.pick(devnet.categories), trust: 0n, beneficiary: requester.address,
    resultPublicKey: random.bytes32(), params: `{"window":"${random.int(1, 48)}h"}`,
  };
  return { kind: "request", order, signer: requester };
}

/** `count` valid orders signed by their owners (local keys: no node round trip). */
export async function signMarketOrders(devnet: MarketDevnet, random: SeededRandom, count: number): Promise<SignedSample[]> {
  const samples: SignedSample[] = [];
  for (let i = 0; i < count; i++) {
    const { kind, order, signer } = drawOrder(devnet, random);
    samples.push({ kind, order, signature: await signOrder(kind, signer, devnet.domain, order), signer: signer.address });
  }
  return samples;
}

/** The submissions a client posts for these orders: `{ order, signature }` with uint256 fields as decimal strings. */
export function submissionsOf(samples: readonly SignedSample[]): OrderSubmission[] {
  return samples.map((sample) => ({ kind: sample.kind, body: publishBodyOf(sample.kind, sample.order, sample.signature) }));
}
