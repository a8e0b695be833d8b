// An order as it lives in the off-chain book: the typed order with its EIP-712 digest, the
// signature that authorizes it, who signed it, and how much of it is still unconsumed.
import type { OrderKind, OrderOf } from "./types.ts";

export type SignedOrder<K extends OrderKind = OrderKind> = {
  kind: K;
  order: OrderOf<K>;
  /** EIP-712 digest (`orderDigest`), 0x-prefixed lowercase hex. */
  hash: string;
  /** 65-byte signature as 0x hex; `0x` for an order approved on-chain. */
  signature: string;
  /** Checksummed address of the signer: the asset owner, or the requester for a request. */
  signer: string;
  /** Volume not yet consumed on-chain (order volume - consumed). */
  remaining: bigint;
  /** Time the book accepted the order, in milliseconds since the epoch (time priority). */
  publishedAt: number;
};

/** Any of the four kinds, narrowed by `kind`. */
export type AnySignedOrder = { [K in OrderKind]: SignedOrder<K> }[OrderKind];
