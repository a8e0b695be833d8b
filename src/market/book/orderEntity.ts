// TypeORM mapping of the book_order table (created by the CreateBookOrders migration): one row per
// signed order the book accepted, with the columns its queries filter and sort on.
import { EntitySchema } from "typeorm";
import { int8Transformer, uint256Transformer } from "../../persistence/index.ts";
import type { OrderKind } from "../../wire/eip712/index.ts";

import type { BookOrderStatus, BookRemovalReason } from "../../wire/marketApi/requestStatus.ts";

export type OrderStatus = BookOrderStatus;
export type RemovalReason = BookRemovalReason;

export type BookOrderRow = {
  hash: string;
  kind: OrderKind;
  /** The order's own asset: its app, dataset or workerpool; a request's app. */
  asset: bigint;
  /** App the order is for (own asset or request) or restricted to (0 = any app). */
  app: bigint;
  /** Dataset the order is for or restricted to (0 = any / none). */
  dataset: bigint;
  /** Workerpool the order is for or restricted to (0 = any). */
  workerpool: bigint;
  /** Lower-case requester of a request, or requester restriction of an offer (zero address = anyone). */
  requester: string;
  /** Category of a workerpool order or request; null for app and dataset orders. */
  category: bigint | null;
  tag: string;
  /** The tag as bit(256), for bitwise tag filters. */
  tagBits: string;
  /** Price per task; for a request, the sum of its maximum prices (its budget per task). */
  price: bigint;
  volume: bigint;
  remaining: bigint;
  expiry: bigint;
  /** Checksummed signer. */
  signer: string;
  signature: string;
  /** The typed order as JSON (uint256 as decimal strings). */
  order: Record<string, string>;
  publishedAt: number;
  status: OrderStatus;
  removedReason: RemovalReason | null;
  removedAt: number | null;
};

const UINT = { type: "numeric", precision: 78, scale: 0, transformer: uint256Transformer } as const;
const MILLIS = { type: "bigint", transformer: int8Transformer } as const;

export const BookOrderEntity = new EntitySchema<BookOrderRow>({
  name: "BookOrder",
  tableName: "book_order",
  columns: {
    hash: { type: "varchar", length: 66, primary: true },
    kind: { type: "varchar", length: 16 },
    asset: UINT,
    app: UINT,
    dataset: UINT,
    workerpool: UINT,
    requester: { type: "varchar", length: 42 },
    category: { ...UINT, nullable: true },
    tag: { type: "varchar", length: 66 },
    tagBits: { name: "tag_bits", type: "bit", length: 256 },
    price: UINT,
    volume: UINT,
    remaining: UINT,
    expiry: UINT,
    signer: { type: "varchar", length: 42 },
    signature: { type: "varchar", length: 132 },
    order: { name: "order_json", type: "jsonb" },
    publishedAt: { name: "published_at", ...MILLIS },
    status: { type: "varchar", length: 8 },
    removedReason: { name: "removed_reason", type: "varchar", length: 16, nullable: true },
    removedAt: { name: "removed_at", ...MILLIS, nullable: true },
  },
});
