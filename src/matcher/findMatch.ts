// The search behind MatchingBook.findMatch: the cheapest app, dataset and workerpool orders a
// request can be matched with, honouring every check of `matchOrders`.
//
// How it stays fast. The request pins its app and dataset (the contract requires equality), so
// app and dataset candidates come from one price-sorted list each. Offers of one kind differ,
// for the rest of the search, only in the tag bits they ask of the workerpool and the workerpool
// they pin (their workerpoolRestrict): an offer is dominated by an earlier (cheaper, or as cheap
// and older) one that asks no more bits and pins nothing else, so each list is scanned in rank
// order keeping only undominated "representatives", and the scan stops at the first offer that
// adds nothing to the request's own needs. For every (app, dataset) representative pair, the
// cheapest workerpool order satisfying the pair's (tag bits, pin) is found from the workerpool
// index, memoised per distinct (bits, pin).
//
// Cost of one lookup: O(a + d + r_a * r_d + q * (g * 4 + s)), where a and d are the app and
// dataset orders scanned before the stop (orders of that one asset priced within the maximum),
// r_a, r_d their representatives (distinct tag / pin classes, usually one or two), q the
// distinct (bits, pin) queries, g the tag groups of the category (a handful), and s the
// workerpool orders skipped inside the visited buckets because they were expired, untrusted,
// or restricted on another field. It never depends on the number of orders of other assets,
// categories, or restricted to other requesters.
import type { SignedOrder } from "../wire/eip712/index.ts";
import type { BookEntry } from "./bookEntry.ts";
import {
  appAcceptable,
  datasetAcceptable,
  pinsAgree,
  workerpoolAcceptable,
  type RequestTerms,
} from "./compatibility.ts";
import { compareRank, compareTime, type RankedList } from "./rankedList.ts";
import type { WorkerpoolIndex } from "./workerpoolIndex.ts";

/** The orders a request is matched with; `dataset` is absent for a request without dataset. */
export type BookMatch = {
  app: SignedOrder<"app">;
  dataset?: SignedOrder<"dataset">;
  workerpool: SignedOrder<"workerpool">;
};

export type MatchSources = {
  appOrders: RankedList<BookEntry<"app">> | undefined;
  datasetOrders: RankedList<BookEntry<"dataset">> | undefined;
  workerpools: WorkerpoolIndex;
};

/** An app or dataset order with what it asks of the workerpool order. */
type Offer<K extends "app" | "dataset"> = { entry: BookEntry<K>; need: bigint; pin: bigint };

type Candidate = {
  total: bigint;
  app: BookEntry<"app">;
  dataset: BookEntry<"dataset"> | undefined;
  workerpool: BookEntry<"workerpool">;
};

export function searchMatch(terms: RequestTerms, sources: MatchSources): BookMatch | null {
  const request = terms.order;
  const apps = representatives(sources.appOrders, request.appMaxPrice, terms, (e) => appAcceptable(e, terms), (e) => e.signed.order.workerpoolRestrict);
  if (apps.length === 0) return null;
  const datasets: (Offer<"dataset"> | undefined)[] =
    request.dataset === 0n
      ? [undefined]
      : representatives(sources.datasetOrders, request.datasetMaxPrice, terms, (e) => datasetAcceptable(e, terms), (e) => e.signed.order.workerpoolRestrict);

  const pools = new Map<string, BookEntry<"workerpool"> | null>();
  let best: Candidate | undefined;
  for (const app of apps) {
    for (const dataset of datasets) {
      const offersPrice = app.entry.price + (dataset?.entry.price ?? 0n);
      if (best && offersPrice > best.total) break; // datasets are in price order: the rest cost more
      const pin = dataset ? mergePins(app.pin, dataset.pin) : app.pin;
      if (pin === undefined) continue;
      const need = app.need | (dataset?.need ?? 0n);
      const key = `${need}:${pin}`;
      let workerpool = pools.get(key);
      if (workerpool === undefined) {
        workerpool = cheapestWorkerpool(terms, sources.workerpools, need, pin);
        pools.set(key, workerpool);
      }
      if (!workerpool) continue;
      const candidate = { total: offersPrice + workerpool.price, app: app.entry, dataset: dataset?.entry, workerpool };
      if (!best || preferred(candidate, best)) best = candidate;
    }
  }
  if (!best) return null;
  return {
    app: best.app.signed,
    ...(best.dataset ? { dataset: best.dataset.signed } : {}),
    workerpool: best.workerpool.signed,
  };
}

/** Undominated acceptable offers of one list, in rank order. */
function representatives<K extends "app" | "dataset">(
  list: RankedList<BookEntry<K>> | undefined,
  maxPrice: bigint,
  terms: RequestTerms,
  acceptable: (entry: BookEntry<K>) => boolean,
  workerpoolRestrict: (entry: BookEntry<K>) => bigint,
): Offer<K>[] {
  const found: Offer<K>[] = [];
  if (!list) return found;
  const requestPin = terms.order.workerpool;
  for (const entry of list) {
    if (entry.price > maxPrice) break;
    if (!acceptable(entry)) continue;
    const restrict = workerpoolRestrict(entry);
    const offer: Offer<K> = { entry, need: entry.tag | terms.tag, pin: restrict !== 0n ? restrict : requestPin };
    if (found.some((earlier) => dominates(earlier, offer))) continue;
    found.push(offer);
    // Asks nothing beyond the request itself: every later offer is dominated by this one.
    if (offer.need === terms.tag && offer.pin === requestPin) break;
  }
  return found;
}

function dominates(earlier: Offer<"app" | "dataset">, later: Offer<"app" | "dataset">): boolean {
  return (earlier.need & later.need) === earlier.need && (earlier.pin === 0n || earlier.pin === later.pin);
}

/** The single workerpool both pins allow (zero: any), or undefined when they conflict. */
function mergePins(a: bigint, b: bigint): bigint | undefined {
  if (!pinsAgree(a, b)) return undefined;
  return a !== 0n ? a : b;
}

function cheapestWorkerpool(terms: RequestTerms, index: WorkerpoolIndex, need: bigint, pin: bigint): BookEntry<"workerpool"> | null {
  const request = terms.order;
  if (pin !== 0n) return firstAcceptable(index.ofWorkerpool(request.category, pin), terms, need, pin, null);
  let best: BookEntry<"workerpool"> | null = null;
  for (const group of index.tagGroups(request.category)) {
    if ((group.tag & need) !== need) continue;
    const lists = [
      group.open,
      group.byApp.get(request.app),
      request.dataset === 0n ? undefined : group.byDataset.get(request.dataset),
      group.byRequester.get(terms.requester),
    ];
    for (const list of lists) best = firstAcceptable(list, terms, need, pin, best) ?? best;
  }
  return best;
}

/** The first acceptable order of `list` ranked before `bound`, or null. */
function firstAcceptable(
  list: RankedList<BookEntry<"workerpool">> | undefined,
  terms: RequestTerms,
  need: bigint,
  pin: bigint,
  bound: BookEntry<"workerpool"> | null,
): BookEntry<"workerpool"> | null {
  if (!list) return null;
  const maxPrice = terms.order.workerpoolMaxPrice;
  for (const entry of list) {
    if (entry.price > maxPrice || (bound && compareRank(entry, bound) >= 0)) return null;
    if (workerpoolAcceptable(entry, terms, need, pin)) return entry;
  }
  return null;
}

/** Cheaper total first; on a tie, time priority: the older workerpool, app, then dataset order. */
function preferred(a: Candidate, b: Candidate): boolean {
  if (a.total !== b.total) return a.total < b.total;
  const order =
    compareTime(a.workerpool, b.workerpool) ||
    compareTime(a.app, b.app) ||
    (a.dataset && b.dataset ? compareTime(a.dataset, b.dataset) : 0);
  return order < 0;
}
