// Maps a signed order to its book_order row and back: which asset, restrictions, requester,
// category and price each kind files under, so every kind can be filtered the same way.
import type { AnySignedOrder, OrderKind } from "../../wire/eip712/index.ts";
import type { BookOrderRow, OrderStatus, RemovalReason } from "./orderEntity.ts";
import { orderFromJson, orderToJson } from "../../wire/marketApi/orderJson.ts";
import { requestCostPerTask } from "./orderTerms.ts";

/** An order as the book holds it: the signed order, whether it is still open, and why it left. */
export type BookOrder = AnySignedOrder & { status: OrderStatus; removedReason: RemovalReason | null };

type Filing = Pick<BookOrderRow, "asset" | "app" | "dataset" | "workerpool" | "requester" | "category" | "price">;

function filingOf(signed: AnySignedOrder): Filing {
  switch (signed.kind) {
    case "app": {
      const o = signed.order;
      return { asset: o.app, app: o.app, dataset: o.datasetRestrict, workerpool: o.workerpoolRestrict, requester: o.requesterRestrict, category: null, price: o.price };
    }
    case "dataset": {
      const o = signed.order;
      return { asset: o.dataset, app: o.appRestrict, dataset: o.dataset, workerpool: o.workerpoolRestrict, requester: o.requesterRestrict, category: null, price: o.price };
    }
    case "workerpool": {
      const o = signed.order;
      return { asset: o.workerpool, app: o.appRestrict, dataset: o.datasetRestrict, workerpool: o.workerpool, requester: o.requesterRestrict, category: o.category, price: o.price };
    }
    case "request": {
      const o = signed.order;
      return { asset: o.app, app: o.app, dataset: o.dataset, workerpool: o.workerpool, requester: o.requester, category: o.category, price: requestCostPerTask(o) };
    }
  }
}

/** The price the book sorts `signed` by: its price, or a request's maximum cost per task. */
export function bookPrice(signed: AnySignedOrder): bigint {
  return filingOf(signed).price;
}

/** bytes32 hex -> the 256-character bit string PostgreSQL reads as bit(256). */
export function tagToBits(tag: string): string {
  return BigInt(tag).toString(2).padStart(256, "0");
}

export function toRow(signed: AnySignedOrder): BookOrderRow {
  const filing = filingOf(signed);
  return {
    ...filing,
    requester: filing.requester.toLowerCase(),
    hash: signed.hash.toLowerCase(),
    kind: signed.kind,
    tag: signed.order.tag.toLowerCase(),
    tagBits: tagToBits(signed.order.tag),
    volume: signed.order.volume,
    remaining: signed.remaining,
    expiry: signed.order.expiry,
    signer: signed.signer,
    signature: signed.signature,
    order: orderToJson(signed.kind, signed.order),
    publishedAt: signed.publishedAt,
    status: "open",
    removedReason: null,
    removedAt: null,
  };
}

export function fromRow(row: BookOrderRow): BookOrder {
  const kind: OrderKind = row.kind;
  return {
    kind,
    order: orderFromJson(kind, row.order),
    hash: row.hash,
    signature: row.signature,
    signer: row.signer,
    remaining: row.remaining,
    publishedAt: row.publishedAt,
    status: row.status,
    removedReason: row.removedReason,
  } as BookOrder;
}
