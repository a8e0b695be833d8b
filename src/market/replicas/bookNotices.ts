// What one market replica tells the others through PostgreSQL NOTIFY after its writes commit:
// orders it added (hashes only: the others read them from the database), remaining volumes it
// updated, orders it removed, and the live-feed messages it forwarded from the chain. Changes are
// packed into as few payloads as fit PostgreSQL's limit, in the order they happened.
import { z } from "zod";
import type { OrderRemovedEvent, OrderUpdatedEvent } from "../book/OrderBook.ts";
import type { RemovalReason } from "../book/orderEntity.ts";
import { MAX_NOTIFY_PAYLOAD_BYTES } from "../../persistence/notificationListener.ts";

export type BookChange =
  | { kind: "added"; hashes: string[] }
  | { kind: "updated"; orders: OrderUpdatedEvent[] }
  | { kind: "removed"; orders: OrderRemovedEvent[] }
  /** A feed message (topic and JSON-ready data) the writer published to its own clients. */
  | { kind: "feed"; topic: string; data: unknown };

export type BookNotice = { origin: string; changes: BookChange[] };

const REMOVAL_REASONS = ["unpublished", "cancelled", "consumed", "expired"] as const satisfies readonly RemovalReason[];
const HASH = z.string().regex(/^0x[0-9a-f]{64}$/);
const noticeSchema = z.strictObject({
  o: z.string().min(1).max(100),
  c: z.array(
    z.union([
      z.tuple([z.literal("a"), z.array(HASH)]),
      z.tuple([z.literal("u"), z.array(z.tuple([HASH, z.string().regex(/^[0-9]{1,78}$/)]))]),
      z.tuple([z.literal("r"), z.array(z.tuple([HASH, z.enum(REMOVAL_REASONS)]))]),
      z.tuple([z.literal("f"), z.string().min(1).max(200), z.unknown()]),
    ]),
  ),
});

type WireChange = z.infer<typeof noticeSchema>["c"][number];

function toWire(change: BookChange): WireChange {
  switch (change.kind) {
    case "added":
      return ["a", change.hashes];
    case "updated":
      return ["u", change.orders.map(({ hash, remaining }) => [hash, remaining.toString()] as [string, string])];
    case "removed":
      return ["r", change.orders.map(({ hash, reason }) => [hash, reason] as [string, RemovalReason])];
    case "feed":
      return ["f", change.topic, change.data];
  }
}

function fromWire(change: WireChange): BookChange {
  switch (change[0]) {
    case "a":
      return { kind: "added", hashes: change[1] };
    case "u":
      return { kind: "updated", orders: change[1].map(([hash, remaining]) => ({ hash, remaining: BigInt(remaining) })) };
    case "r":
      return { kind: "removed", orders: change[1].map(([hash, reason]) => ({ hash, reason })) };
    case "f":
      return { kind: "feed", topic: change[1], data: change[2] };
  }
}

/** The items of a list change, to split one too big for a payload. */
function splitInTwo(change: BookChange): [BookChange, BookChange] | undefined {
  if (change.kind === "added" && change.hashes.length > 1) {
    const half = Math.ceil(change.hashes.length / 2);
    return [{ kind: "added", hashes: change.hashes.slice(0, half) }, { kind: "added", hashes: change.hashes.slice(half) }];
  }
  if ((change.kind === "updated" || change.kind === "removed") && change.orders.length > 1) {
    const half = Math.ceil(change.orders.length / 2);
    return [
      { ...change, orders: change.orders.slice(0, half) } as BookChange,
      { ...change, orders: change.orders.slice(half) } as BookChange,
    ];
  }
  return undefined;
}

/**
 * Payloads carrying `changes` in order, each under the NOTIFY limit. A single feed message too
 * big for one payload cannot be sent: it comes back in `tooBig`.
 */
export function encodeNotices(origin: string, changes: readonly BookChange[]): { payloads: string[]; tooBig: BookChange[] } {
  const payloads: string[] = [];
  const tooBig: BookChange[] = [];
  const pending = [...changes];
  let batch: WireChange[] = [];
  const encode = (items: WireChange[]) => JSON.stringify({ o: origin, c: items });
  const fits = (items: WireChange[]) => Buffer.byteLength(encode(items)) <= MAX_NOTIFY_PAYLOAD_BYTES;
  while (pending.length > 0) {
    const change = pending.shift()!;
    const wire = toWire(change);
    if (fits([...batch, wire])) {
      batch.push(wire);
      continue;
    }
    if (batch.length > 0) {
      payloads.push(encode(batch));
      batch = [];
      pending.unshift(change);
      continue;
    }
    const halves = splitInTwo(change);
    if (halves) pending.unshift(...halves);
    else tooBig.push(change);
  }
  if (batch.length > 0) payloads.push(encode(batch));
  return { payloads, tooBig };
}

/** The notice in a payload, or undefined when it is not one (another program on the channel, another version). */
export function decodeNotice(payload: string): BookNotice | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const parsed = noticeSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return { origin: parsed.data.o, changes: parsed.data.c.map(fromWire) };
}

/** Appends a change, merging it into the last one when both are the same list kind. */
export function appendChange(changes: BookChange[], change: BookChange): void {
  const last = changes[changes.length - 1];
  if (last?.kind === "added" && change.kind === "added") last.hashes.push(...change.hashes);
  else if (last?.kind === "updated" && change.kind === "updated") last.orders.push(...change.orders);
  else if (last?.kind === "removed" && change.kind === "removed") last.orders.push(...change.orders);
  else changes.push(change);
}
