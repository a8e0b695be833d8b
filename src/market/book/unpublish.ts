// Takes an order off the book when its signer sends a live, signed `Unpublish` message
// (src/wire/eip712/unpublish.ts). This only removes the order off-chain.
import type { TypedDataDomain } from "ethers";
import { z } from "zod";
import type { OrderKind } from "../../wire/eip712/index.ts";
import { recoverUnpublishSigner, type Unpublish } from "../../wire/eip712/unpublish.ts";
import { MarketError } from "../MarketError.ts";
import type { OrderChainState } from "./chainState.ts";
import type { OrderBook } from "./OrderBook.ts";
import { signature65, uint256 } from "./orderFields.ts";
import { describeIssues } from "./orderSchemas.ts";
import type { BookOrder } from "./orderRow.ts";

export const unpublishBodySchema = z.strictObject({ expiry: uint256(), signature: signature65() });

export type OrderUnpublisherOptions = { book: OrderBook; chain: OrderChainState; domain: TypedDataDomain };

export class OrderUnpublisher {
  readonly #book: OrderBook;
  readonly #chain: OrderChainState;
  readonly #domain: TypedDataDomain;

  constructor(options: OrderUnpublisherOptions) {
    this.#book = options.book;
    this.#chain = options.chain;
    this.#domain = options.domain;
  }

  /**
   * Removes order `hash` of `kind` when `body` ({ expiry, signature }) is a live Unpublish signed
   * by the order's signer; returns the order, now removed. Unpublishing a removed order is a no-op.
   */
  async unpublish(kind: OrderKind, hash: string, body: unknown): Promise<BookOrder> {
    const parsed = unpublishBodySchema.safeParse(body);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      throw new MarketError("INVALID_UNPUBLISH", `the unpublish request is malformed: ${issues[0].path} ${issues[0].message}`, { issues });
    }
    const order = await this.#book.get(hash);
    if (!order || order.kind !== kind) throw orderNotFound(kind, hash);
    const message: Unpublish = { orderHash: order.hash, expiry: parsed.data.expiry };
    let signer: string;
    try {
      signer = recoverUnpublishSigner(this.#domain, message, parsed.data.signature);
    } catch {
      throw new MarketError("BAD_SIGNATURE", "the unpublish signature cannot be recovered; sign Unpublish { orderHash, expiry } with EIP-712");
    }
    if (signer !== order.signer) {
      throw new MarketError("NOT_ORDER_SIGNER", `only the order's signer ${order.signer} may unpublish it; the message is signed by ${signer}`, {
        signer: order.signer,
        recovered: signer,
      });
    }
    await this.#requireLive(parsed.data.expiry);
    if (order.status === "open") await this.#book.remove(order.hash, "unpublished");
    return (await this.#book.get(order.hash))!;
  }

  async #requireLive(expiry: bigint): Promise<void> {
    const now = await this.#chain.latestTimestamp();
    if (expiry <= now) {
      throw new MarketError("UNPUBLISH_EXPIRED", `the unpublish message expired at ${expiry} (chain time ${now}); sign it again with a later expiry`, {
        expiry: expiry.toString(),
        chainTime: now.toString(),
      });
    }
  }
}

export function orderNotFound(kind: OrderKind, hash: string): MarketError {
  return new MarketError("ORDER_NOT_FOUND", `no ${kind} order ${hash} in the book`, { kind, hash });
}
