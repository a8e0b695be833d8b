// A brute-force reference for the matcher: tries every (app, dataset, workerpool) triple of a
// book with a direct transcription of Matching.matchOrders' checks, and keeps the cheapest.
import type { AnySignedOrder, DatasetOrder, SignedOrder } from "../../../src/wire/eip712/index.ts";

export type Context = { now: bigint; trustOf?(workerpool: bigint): bigint };

const EMPTY_DATASET: DatasetOrder = {
  dataset: 0n, price: 0n, volume: 0n, tag: `0x${"0".repeat(64)}`, appRestrict: 0n, workerpoolRestrict: 0n,
  requesterRestrict: `0x${"0".repeat(40)}`, assetEpoch: 0n, salt: `0x${"0".repeat(64)}`, expiry: 0n,
};

function restrict(restriction: bigint, actual: bigint): boolean {
  return restriction === 0n || restriction === actual;
}

/** true when matchOrders would accept the four orders (signatures and escrow aside). */
export function contractAccepts(
  a: SignedOrder<"app">,
  d: SignedOrder<"dataset"> | undefined,
  w: SignedOrder<"workerpool">,
  r: SignedOrder<"request">,
  context: Context,
): boolean {
  const app = a.order;
  const dataset = d?.order ?? EMPTY_DATASET;
  const pool = w.order;
  const request = r.order;
  const requester = BigInt(request.requester);
  // _checkTerms
  if (request.app !== app.app) return false;
  if (request.dataset !== dataset.dataset) return false;
  if (request.dataset === 0n && (dataset.price !== 0n || BigInt(dataset.tag) !== 0n)) return false;
  if (request.workerpool !== 0n && request.workerpool !== pool.workerpool) return false;
  if (request.category !== pool.category) return false;
  const required = BigInt(app.tag) | BigInt(dataset.tag) | BigInt(request.tag);
  if ((BigInt(pool.tag) & required) !== required) return false;
  if (app.price > request.appMaxPrice || dataset.price > request.datasetMaxPrice || pool.price > request.workerpoolMaxPrice) return false;
  if (BigInt(request.beneficiary) === 0n) return false;
  if (request.trust !== 0n) {
    const score = context.trustOf ? context.trustOf(pool.workerpool) : -1n;
    if (score < request.trust) return false;
  }
  // _checkRestrictions
  if (!restrict(app.datasetRestrict, request.dataset)) return false;
  if (!restrict(app.workerpoolRestrict, pool.workerpool)) return false;
  if (!restrict(BigInt(app.requesterRestrict), requester)) return false;
  if (request.dataset !== 0n) {
    if (!restrict(dataset.appRestrict, app.app)) return false;
    if (!restrict(dataset.workerpoolRestrict, pool.workerpool)) return false;
    if (!restrict(BigInt(dataset.requesterRestrict), requester)) return false;
  }
  if (!restrict(pool.appRestrict, app.app)) return false;
  if (!restrict(pool.datasetRestrict, request.dataset)) return false;
  if (!restrict(BigInt(pool.requesterRestrict), requester)) return false;
  // _usableOrder: expiry and something left (the book's remaining stands for volume - consumed)
  const usable = (order: { remaining: bigint; order: { expiry: bigint } }) =>
    context.now <= order.order.expiry && order.remaining > 0n;
  if (!usable(a) || !usable(w) || !usable(r)) return false;
  if (request.dataset !== 0n && !usable(d!)) return false;
  // ownerOf(app) reverts for the never-registered app 0.
  return app.app !== 0n;
}

export type ReferenceMatch = { total: bigint; app: SignedOrder<"app">; dataset?: SignedOrder<"dataset">; workerpool: SignedOrder<"workerpool"> };

export function referenceMatch(orders: AnySignedOrder[], r: SignedOrder<"request">, context: Context): ReferenceMatch | null {
  const apps = orders.filter((o): o is SignedOrder<"app"> => o.kind === "app");
  const datasets: (SignedOrder<"dataset"> | undefined)[] =
    r.order.dataset === 0n ? [undefined] : orders.filter((o): o is SignedOrder<"dataset"> => o.kind === "dataset");
  const pools = orders.filter((o): o is SignedOrder<"workerpool"> => o.kind === "workerpool");
  let best: ReferenceMatch | null = null;
  for (const a of apps) {
    for (const d of datasets) {
      for (const w of pools) {
        if (!contractAccepts(a, d, w, r, context)) continue;
        const total = a.order.price + (d?.order.price ?? 0n) + w.order.price;
        if (!best || total < best.total) best = { total, app: a, ...(d ? { dataset: d } : {}), workerpool: w };
      }
    }
  }
  return best;
}
