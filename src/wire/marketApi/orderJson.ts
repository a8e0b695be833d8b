// Converts typed orders to and from their JSON spelling (uint256 as decimal strings), driven by
// the EIP-712 field types so the conversion can never disagree with what is signed.
import { ORDER_PRIMARY_TYPE, ORDER_TYPES, type AnySignedOrder, type OrderKind, type OrderOf } from "../eip712/index.ts";

export type OrderJson = Record<string, string>;

const UINT_FIELDS: Record<OrderKind, ReadonlySet<string>> = {
  app: uintFieldsOf("app"),
  dataset: uintFieldsOf("dataset"),
  workerpool: uintFieldsOf("workerpool"),
  request: uintFieldsOf("request"),
};

function uintFieldsOf(kind: OrderKind): ReadonlySet<string> {
  return new Set(ORDER_TYPES[kind][ORDER_PRIMARY_TYPE[kind]].filter((field) => field.type === "uint256").map((field) => field.name));
}

/** A typed order as JSON: every uint256 as a decimal string, other fields unchanged. */
export function orderToJson<K extends OrderKind>(kind: K, order: OrderOf<K>): OrderJson {
  const json: OrderJson = {};
  for (const field of ORDER_TYPES[kind][ORDER_PRIMARY_TYPE[kind]]) {
    json[field.name] = String((order as Record<string, unknown>)[field.name]);
  }
  return json;
}

/** The inverse of orderToJson, for JSON this service wrote itself (client JSON goes through the zod schemas). */
export function orderFromJson<K extends OrderKind>(kind: K, json: Readonly<Record<string, unknown>>): OrderOf<K> {
  const uints = UINT_FIELDS[kind];
  const order: Record<string, unknown> = {};
  for (const field of ORDER_TYPES[kind][ORDER_PRIMARY_TYPE[kind]]) {
    const value = json[field.name];
    order[field.name] = uints.has(field.name) ? BigInt(value as string) : value;
  }
  return order as OrderOf<K>;
}

/** The body a client posts to publish an order: `{ order, signature }`. */
export function publishBodyOf<K extends OrderKind>(kind: K, order: OrderOf<K>, signature: string): { order: OrderJson; signature: string } {
  return { order: orderToJson(kind, order), signature };
}

export type SignedOrderJson = {
  kind: OrderKind;
  hash: string;
  signer: string;
  signature: string;
  remaining: string;
  publishedAt: string;
  order: OrderJson;
};

/** How the API shows a book order. */
export function signedOrderToJson(order: AnySignedOrder): SignedOrderJson {
  return {
    kind: order.kind,
    hash: order.hash,
    signer: order.signer,
    signature: order.signature,
    remaining: order.remaining.toString(),
    publishedAt: new Date(order.publishedAt).toISOString(),
    order: orderToJson(order.kind, order.order),
  };
}
