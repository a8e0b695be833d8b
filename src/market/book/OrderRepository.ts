// The only code reading and writing book_order: idempotent inserts, lookups, filtered and
// cursor-paged queries in book order, and the status changes that take orders out of the book.
import { In, type EntityManager, type SelectQueryBuilder } from "typeorm";
import { decimal, insertRows, type ArrayColumn } from "../../persistence/arrayInsert.ts";
import { managerOf, type Database } from "../../persistence/managerOf.ts";
import type { AnySignedOrder, OrderKind } from "../../wire/eip712/index.ts";
import { BookOrderEntity, type BookOrderRow, type RemovalReason } from "./orderEntity.ts";
import { bookPrice, fromRow, tagToBits, toRow, type BookOrder } from "./orderRow.ts";

/** Filters of a book query; every one is optional and they combine with AND. */
export type BookFilters = {
  /** The order's own asset id (a request's app). */
  asset?: bigint;
  /** Orders usable with this app: for it, or not restricted to another app. */
  app?: bigint;
  /** Orders usable with this dataset (requests: naming it). */
  dataset?: bigint;
  /** Orders usable with this workerpool (requests: naming it or any workerpool). */
  workerpool?: bigint;
  /** Offers open to this requester; requests by this requester. */
  requester?: string;
  /** Workerpool orders and requests of this category. */
  category?: bigint;
  /** Orders compatible with a deal carrying this tag: workerpools offering all of it, others asking nothing beyond it. */
  tag?: string;
  minPrice?: bigint;
  maxPrice?: bigint;
  /** Remaining volume at least this. */
  minVolume?: bigint;
  /** Signed by this (checksummed) address. */
  signer?: string;
};

/** Position after the last order of a page, in the kind's sort order. */
export type BookCursor = { price: bigint; publishedAt: number; hash: string } | { publishedAt: number; hash: string };

export type BookSort = "price" | "recent";

/** Requests are listed newest first; offers cheapest first, then oldest (time priority). */
export function sortOf(kind: OrderKind): BookSort {
  return kind === "request" ? "recent" : "price";
}

/** Identity of a row inside `kind`'s sort order. */
export function cursorOf(order: BookOrder): BookCursor {
  if (sortOf(order.kind) === "recent") return { publishedAt: order.publishedAt, hash: order.hash };
  return { price: bookPrice(order), publishedAt: order.publishedAt, hash: order.hash };
}

/** Rows per INSERT statement: 21 parameters each stays far below PostgreSQL's 65,535. */
const INSERT_CHUNK = 1_000;
const ZERO_ADDRESS = `0x${"0".repeat(40)}`;

/** Own-asset columns of each kind (equality); other asset columns are restrictions where 0 means any. */
const NAMED_ASSETS: Record<OrderKind, ReadonlySet<string>> = {
  app: new Set(["app"]),
  dataset: new Set(["dataset"]),
  workerpool: new Set(["workerpool"]),
  request: new Set(["app", "dataset"]),
};

/** The columns a new (open) order fills; the removal columns keep their NULL default. */
const ORDER_COLUMNS: readonly ArrayColumn<BookOrderRow>[] = [
  { name: "hash", type: "varchar", value: (row) => row.hash },
  { name: "kind", type: "varchar", value: (row) => row.kind },
  { name: "asset", type: "numeric", value: (row) => decimal(row.asset) },
  { name: "app", type: "numeric", value: (row) => decimal(row.app) },
  { name: "dataset", type: "numeric", value: (row) => decimal(row.dataset) },
  { name: "workerpool", type: "numeric", value: (row) => decimal(row.workerpool) },
  { name: "requester", type: "varchar", value: (row) => row.requester },
  { name: "category", type: "numeric", value: (row) => decimal(row.category) },
  { name: "tag", type: "varchar", value: (row) => row.tag },
  { name: "tag_bits", type: "bit(256)", value: (row) => row.tagBits },
  { name: "price", type: "numeric", value: (row) => decimal(row.price) },
  { name: "volume", type: "numeric", value: (row) => decimal(row.volume) },
  { name: "remaining", type: "numeric", value: (row) => decimal(row.remaining) },
  { name: "expiry", type: "numeric", value: (row) => decimal(row.expiry) },
  { name: "signer", type: "varchar", value: (row) => row.signer },
  { name: "signature", type: "varchar", value: (row) => row.signature },
  { name: "order_json", type: "jsonb", value: (row) => JSON.stringify(row.order) },
  { name: "published_at", type: "bigint", value: (row) => row.publishedAt.toString() },
  { name: "status", type: "varchar", value: (row) => row.status },
];

export class OrderRepository {
  readonly #manager: EntityManager;

  constructor(db: Database) {
    this.#manager = managerOf(db);
  }

  /** Inserts orders as open, skipping hashes already stored; returns the hashes inserted. */
  async insertMany(orders: readonly AnySignedOrder[]): Promise<Set<string>> {
    const inserted = new Set<string>();
    const rows = orders.map(toRow);
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      const result = await insertRows<BookOrderRow, { hash: string }>(this.#manager, "book_order", ORDER_COLUMNS, chunk, "ON CONFLICT (hash) DO NOTHING RETURNING hash");
      for (const row of result) inserted.add(row.hash);
    }
    return inserted;
  }

  /** The subset of `hashes` stored, whatever their status. */
  async existing(hashes: readonly string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows = await this.#manager.getRepository(BookOrderEntity).find({
      select: { hash: true },
      where: { hash: In(hashes.map((hash) => hash.toLowerCase())) },
    });
    return new Set(rows.map((row) => row.hash));
  }

  async get(hash: string): Promise<BookOrder | undefined> {
    const row = await this.#manager.getRepository(BookOrderEntity).findOneBy({ hash: hash.toLowerCase() });
    return row ? fromRow(row) : undefined;
  }

  /** Open orders among `hashes`. */
  async openAmong(hashes: readonly string[]): Promise<BookOrder[]> {
    if (hashes.length === 0) return [];
    const rows = await this.#manager.getRepository(BookOrderEntity).find({
      where: { hash: In(hashes.map((hash) => hash.toLowerCase())), status: "open" },
    });
    return rows.map(fromRow);
  }

  /** Open orders of `kind` matching `filters`, in book order, after `cursor`, at most `limit`. */
  async query(kind: OrderKind, filters: BookFilters, cursor: BookCursor | null, limit: number): Promise<BookOrder[]> {
    const query = this.#manager
      .getRepository(BookOrderEntity)
      .createQueryBuilder("o")
      .where("o.kind = :kind", { kind })
      .andWhere("o.status = 'open'");
    applyFilters(query, kind, filters);
    if (sortOf(kind) === "recent") {
      if (cursor) query.andWhere("(o.publishedAt, o.hash) < (:afterTime, :afterHash)", { afterTime: cursor.publishedAt, afterHash: cursor.hash });
      query.orderBy("o.publishedAt", "DESC").addOrderBy("o.hash", "DESC");
    } else {
      if (cursor) {
        const price = "price" in cursor ? cursor.price : 0n;
        query.andWhere("(o.price, o.publishedAt, o.hash) > (CAST(:afterPrice AS numeric), :afterTime, :afterHash)", {
          afterPrice: price.toString(),
          afterTime: cursor.publishedAt,
          afterHash: cursor.hash,
        });
      }
      query.orderBy("o.price", "ASC").addOrderBy("o.publishedAt", "ASC").addOrderBy("o.hash", "ASC");
    }
    const rows = await query.take(limit).getMany();
    return rows.map(fromRow);
  }

  /** Sets the remaining volume of an open order; false when it is not open or already had that value. */
  async setRemaining(hash: string, remaining: bigint): Promise<boolean> {
    const result = await this.#manager
      .createQueryBuilder()
      .update(BookOrderEntity)
      .set({ remaining })
      .where("hash = :hash AND status = 'open' AND remaining <> CAST(:remaining AS numeric)", {
        hash: hash.toLowerCase(),
        remaining: remaining.toString(),
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Takes an open order out of the book; false when it was not open (so callers report it once). */
  async markRemoved(hash: string, reason: RemovalReason, at: number, remaining?: bigint): Promise<boolean> {
    const result = await this.#manager
      .createQueryBuilder()
      .update(BookOrderEntity)
      .set({ status: "removed", removedReason: reason, removedAt: at, ...(remaining === undefined ? {} : { remaining }) })
      .where("hash = :hash AND status = 'open'", { hash: hash.toLowerCase() })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Removes every open order whose expiry is at or before `nowSeconds`; returns their hashes. */
  async removeExpired(nowSeconds: bigint, at: number): Promise<string[]> {
    const result = await this.#manager
      .createQueryBuilder()
      .update(BookOrderEntity)
      .set({ status: "removed", removedReason: "expired", removedAt: at })
      .where("status = 'open' AND expiry <= CAST(:now AS numeric)", { now: nowSeconds.toString() })
      .returning(["hash"])
      .execute();
    return (result.raw as { hash: string }[]).map((row) => row.hash);
  }

  /** Number of open orders, per kind. */
  async countOpen(): Promise<Record<OrderKind, number>> {
    const rows: { kind: OrderKind; count: string }[] = await this.#manager
      .getRepository(BookOrderEntity)
      .createQueryBuilder("o")
      .select("o.kind", "kind")
      .addSelect("COUNT(*)", "count")
      .where("o.status = 'open'")
      .groupBy("o.kind")
      .getRawMany();
    const counts: Record<OrderKind, number> = { app: 0, dataset: 0, workerpool: 0, request: 0 };
    for (const row of rows) counts[row.kind] = Number(row.count);
    return counts;
  }
}

function applyFilters(query: SelectQueryBuilder<BookOrderRow>, kind: OrderKind, filters: BookFilters): void {
  const uint = (name: string, value: bigint) => ({ [name]: value.toString() });
  if (filters.asset !== undefined) query.andWhere("o.asset = CAST(:asset AS numeric)", uint("asset", filters.asset));
  for (const column of ["app", "dataset", "workerpool"] as const) {
    const value = filters[column];
    if (value === undefined) continue;
    const condition = NAMED_ASSETS[kind].has(column)
      ? `o.${column} = CAST(:${column} AS numeric)`
      : `(o.${column} = 0 OR o.${column} = CAST(:${column} AS numeric))`;
    query.andWhere(condition, uint(column, value));
  }
  if (filters.requester !== undefined) {
    const requester = filters.requester.toLowerCase();
    if (kind === "request") query.andWhere("o.requester = :requester", { requester });
    else query.andWhere("(o.requester = :anyone OR o.requester = :requester)", { requester, anyone: ZERO_ADDRESS });
  }
  if (filters.category !== undefined) query.andWhere("o.category = CAST(:category AS numeric)", uint("category", filters.category));
  if (filters.tag !== undefined) {
    const condition =
      kind === "workerpool"
        ? "(o.tagBits & CAST(:tagBits AS bit(256))) = CAST(:tagBits AS bit(256))"
        : "(o.tagBits | CAST(:tagBits AS bit(256))) = CAST(:tagBits AS bit(256))";
    query.andWhere(condition, { tagBits: tagToBits(filters.tag) });
  }
  if (filters.minPrice !== undefined) query.andWhere("o.price >= CAST(:minPrice AS numeric)", uint("minPrice", filters.minPrice));
  if (filters.maxPrice !== undefined) query.andWhere("o.price <= CAST(:maxPrice AS numeric)", uint("maxPrice", filters.maxPrice));
  if (filters.minVolume !== undefined) query.andWhere("o.remaining >= CAST(:minVolume AS numeric)", uint("minVolume", filters.minVolume));
  if (filters.signer !== undefined) query.andWhere("o.signer = :signer", { signer: filters.signer });
}
