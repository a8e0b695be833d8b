// The checks `Matching.matchOrders` makes, split by what they depend on: each order against the
// request alone, and the couplings between offers (tags, workerpool pins) used by the search.
// Every rule here mirrors contracts/protocol/Matching.sol and OrderBook.sol; zero means "anyone".
import type { RequestOrder } from "../wire/eip712/index.ts";
import type { BookEntry } from "./bookEntry.ts";
import { normalizeAddress, tagBits } from "./bookEntry.ts";

export type MatchContext = {
  /** Chain time in seconds; an order is usable while `now <= expiry` (the contract reverts when `now > expiry`). */
  now: bigint;
  /**
   * A workerpool's reputation score in basis points. Without it, requests asking for trust
   * (trust > 0) match nothing: the contract would refuse a pool whose score is unknown here.
   */
  trustOf?(workerpool: bigint): bigint;
};

/** The request's fields as the search compares them, decoded once per lookup. */
export type RequestTerms = {
  readonly order: RequestOrder;
  readonly requester: string;
  readonly tag: bigint;
  readonly now: bigint;
  readonly trustOf: ((workerpool: bigint) => bigint) | undefined;
};

export function requestTerms(order: RequestOrder, context: MatchContext): RequestTerms {
  return { order, requester: normalizeAddress(order.requester), tag: tagBits(order.tag), now: context.now, trustOf: context.trustOf };
}

/** A restriction field allows `actual` when it is zero (anyone) or equal to it. */
export function allows(restriction: bigint, actual: bigint): boolean {
  return restriction === 0n || restriction === actual;
}

function allowsRequester(restriction: string | null, requester: string): boolean {
  return restriction === null || restriction === requester;
}

/** Two workerpool pins (zero = any) can both hold for one workerpool. */
export function pinsAgree(a: bigint, b: bigint): boolean {
  return a === 0n || b === 0n || a === b;
}

/** The request can be matched at all: something left, not expired, a beneficiary, an app. */
export function requestUsable(remaining: bigint, terms: RequestTerms): boolean {
  const order = terms.order;
  // App 0 is never registered: the contract's ownerOf(0) would revert.
  return remaining > 0n && terms.now <= order.expiry && BigInt(order.beneficiary) !== 0n && order.app !== 0n;
}

function live(entry: BookEntry, terms: RequestTerms): boolean {
  return entry.signed.remaining > 0n && terms.now <= entry.expiry;
}

/** App order checks that do not depend on the dataset or workerpool order chosen. */
export function appAcceptable(entry: BookEntry<"app">, terms: RequestTerms): boolean {
  const app = entry.signed.order;
  const request = terms.order;
  return (
    live(entry, terms) &&
    app.app === request.app &&
    app.price <= request.appMaxPrice &&
    allows(app.datasetRestrict, request.dataset) &&
    allowsRequester(entry.requesterRestrict, terms.requester) &&
    pinsAgree(app.workerpoolRestrict, request.workerpool)
  );
}

/** Dataset order checks that do not depend on the workerpool order chosen (the app is the request's). */
export function datasetAcceptable(entry: BookEntry<"dataset">, terms: RequestTerms): boolean {
  const dataset = entry.signed.order;
  const request = terms.order;
  return (
    live(entry, terms) &&
    dataset.dataset === request.dataset &&
    dataset.price <= request.datasetMaxPrice &&
    allows(dataset.appRestrict, request.app) &&
    allowsRequester(entry.requesterRestrict, terms.requester) &&
    pinsAgree(dataset.workerpoolRestrict, request.workerpool)
  );
}

/**
 * Workerpool order checks, given the tag bits the chosen app, dataset and request need and the
 * workerpool they pin (zero: any).
 */
export function workerpoolAcceptable(entry: BookEntry<"workerpool">, terms: RequestTerms, need: bigint, pin: bigint): boolean {
  const pool = entry.signed.order;
  const request = terms.order;
  return (
    live(entry, terms) &&
    pool.category === request.category &&
    pool.price <= request.workerpoolMaxPrice &&
    (entry.tag & need) === need &&
    allows(pin, pool.workerpool) &&
    allows(request.workerpool, pool.workerpool) &&
    allows(pool.appRestrict, request.app) &&
    allows(pool.datasetRestrict, request.dataset) &&
    allowsRequester(entry.requesterRestrict, terms.requester) &&
    trustMet(pool.workerpool, terms)
  );
}

function trustMet(workerpool: bigint, terms: RequestTerms): boolean {
  const required = terms.order.trust;
  if (required === 0n) return true;
  return terms.trustOf !== undefined && terms.trustOf(workerpool) >= required;
}
