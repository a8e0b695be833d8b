// The book's own copy of an order: the signed order plus the fields the matcher compares,
// decoded once on entry (tags as bit sets, addresses lowercased, "anyone" as null).
import type { AnySignedOrder, OrderKind, SignedOrder } from "../wire/eip712/index.ts";
import type { Ranked } from "./rankedList.ts";

export type BookEntry<K extends OrderKind = OrderKind> = Ranked & {
  readonly kind: K;
  /** The book's copy; `remaining` is updated in place as deals consume the order. */
  readonly signed: SignedOrder<K>;
  readonly expiry: bigint;
  /** The order's tag as a bit set. */
  readonly tag: bigint;
  /** Lowercased `requesterRestrict`, or null when anyone may request (zero address). */
  readonly requesterRestrict: string | null;
};

export type AnyBookEntry = { [K in OrderKind]: BookEntry<K> }[OrderKind];

export function tagBits(tag: string): bigint {
  return BigInt(tag);
}

export function normalizeAddress(address: string): string {
  return address.toLowerCase();
}

function restrictionOf(address: string): string | null {
  return BigInt(address) === 0n ? null : normalizeAddress(address);
}

/** Builds the book's entry; the caller's object is copied, never mutated. */
export function toBookEntry(order: AnySignedOrder): AnyBookEntry {
  const hash = order.hash.toLowerCase();
  const publishedAt = order.publishedAt;
  switch (order.kind) {
    case "request":
      return {
        kind: "request", signed: { ...order, hash }, hash, publishedAt, price: 0n,
        expiry: order.order.expiry, tag: tagBits(order.order.tag), requesterRestrict: null,
      };
    case "app":
    case "dataset":
    case "workerpool": {
      const entry = {
        kind: order.kind, signed: { ...order, hash }, hash, publishedAt, price: order.order.price,
        expiry: order.order.expiry, tag: tagBits(order.order.tag),
        requesterRestrict: restrictionOf(order.order.requesterRestrict),
      };
      return entry as AnyBookEntry;
    }
  }
}
