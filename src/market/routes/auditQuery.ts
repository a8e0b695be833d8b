// Reads the path and query parameters of the audit and request-status routes. Each parameter has
// its own stable code (INVALID_ADDRESS, INVALID_DEAL_ID, ...); an unknown parameter is
// INVALID_QUERY, never silently ignored.
import { z } from "zod";
import { PAYMENT_KINDS, TASK_STATUSES, type EventCursor, type PaymentCursor, type SortOrder } from "../../persistence/ledger/index.ts";
import { MarketError, type MarketErrorCode } from "../MarketError.ts";
import { parsePageQuery } from "../../http/pagination.ts";
import { address, bytes32, uint256 } from "../book/orderFields.ts";

export const AUDIT_ERROR_CODES = {
  address: "INVALID_ADDRESS",
  dealId: "INVALID_DEAL_ID",
  assetId: "INVALID_ASSET_ID",
  orderHash: "INVALID_ORDER_HASH",
  time: "INVALID_TIME_RANGE",
  query: "INVALID_QUERY",
  cursor: "INVALID_CURSOR",
} as const satisfies Record<string, MarketErrorCode>;

type Param = { schema: z.ZodType; code: MarketErrorCode };

const UNIX_SECONDS = /^[0-9]{1,12}$/;

/** A point in time as unix seconds or an ISO 8601 date or date-time (with offset, or UTC). */
function instant() {
  const error = "must be unix seconds or an ISO 8601 date-time such as 2026-01-31T12:00:00Z";
  return z.string({ error }).transform((value, context) => {
    const isIso = z.iso.datetime({ offset: true }).safeParse(value).success || z.iso.date().safeParse(value).success;
    const time = UNIX_SECONDS.test(value) ? new Date(Number(value) * 1_000) : isIso ? new Date(value) : undefined;
    if (time === undefined || Number.isNaN(time.getTime())) {
      context.addIssue({ code: "custom", message: error });
      return z.NEVER;
    }
    return time;
  });
}

const decimal = () => uint256().transform((value) => value.toString());

export const PARAMS = {
  address: { schema: address(), code: AUDIT_ERROR_CODES.address },
  requester: { schema: address(), code: AUDIT_ERROR_CODES.address },
  deal: { schema: bytes32(), code: AUDIT_ERROR_CODES.dealId },
  app: { schema: decimal(), code: AUDIT_ERROR_CODES.assetId },
  dataset: { schema: decimal(), code: AUDIT_ERROR_CODES.assetId },
  workerpool: { schema: decimal(), code: AUDIT_ERROR_CODES.assetId },
  from: { schema: instant(), code: AUDIT_ERROR_CODES.time },
  to: { schema: instant(), code: AUDIT_ERROR_CODES.time },
  order: { schema: z.enum(["asc", "desc"], { error: "must be asc or desc" }), code: AUDIT_ERROR_CODES.query },
  kind: { schema: z.enum(PAYMENT_KINDS, { error: `must be one of ${PAYMENT_KINDS.join(", ")}` }), code: AUDIT_ERROR_CODES.query },
  status: { schema: z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(", ")}` }), code: AUDIT_ERROR_CODES.query },
} satisfies Record<string, Param>;

type ParamName = keyof typeof PARAMS;
export type AuditQuery = { [K in ParamName]?: z.output<(typeof PARAMS)[K]["schema"]> };

/** The filters each list accepts (besides limit and cursor). */
export const LIST_PARAMS = {
  deals: ["address", "requester", "app", "dataset", "workerpool", "from", "to", "order"],
  tasks: ["deal", "address", "requester", "app", "dataset", "workerpool", "from", "to", "status", "order"],
  claims: ["deal", "address", "requester", "app", "dataset", "workerpool", "from", "to", "order"],
  payments: ["deal", "address", "requester", "app", "dataset", "workerpool", "from", "to", "kind", "order"],
  dealTasks: [],
} as const satisfies Record<string, readonly ParamName[]>;

/** Parses the query of a list; throws the parameter's 400 code on the first bad value. */
export function parseListQuery(query: Record<string, unknown>, allowed: readonly ParamName[]): AuditQuery {
  const accepted = new Set<string>([...allowed, "limit", "cursor"]);
  const unknown = Object.keys(query).find((key) => !accepted.has(key));
  if (unknown !== undefined) {
    throw new MarketError(AUDIT_ERROR_CODES.query, `unknown query parameter "${unknown}"; use ${[...accepted].join(", ")}`, { parameter: unknown });
  }
  const parsed: Record<string, unknown> = {};
  for (const name of allowed) {
    if (query[name] === undefined) continue;
    parsed[name] = parseValue(name, PARAMS[name], query[name]);
  }
  const range = parsed as AuditQuery;
  if (range.from && range.to && range.from >= range.to) {
    throw new MarketError(AUDIT_ERROR_CODES.time, "from must be earlier than to (from is inclusive, to exclusive)", {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
    });
  }
  return range;
}

function parseValue(name: string, param: Param, value: unknown): unknown {
  const result = param.schema.safeParse(value);
  if (result.success) return result.data;
  const message = typeof value === "string" ? result.error.issues[0].message : "must be given once, as a single value";
  throw new MarketError(param.code, `${name} ${message}`, { parameter: name });
}

/** A deal id path parameter (bytes32), lower case. */
export function parseDealId(value: unknown): string {
  return parseValue("dealId", PARAMS.deal, value) as string;
}

/** An order hash path parameter (bytes32), lower case. */
export function parseOrderHash(value: unknown): string {
  return parseValue("hash", { schema: bytes32(), code: AUDIT_ERROR_CODES.orderHash }, value) as string;
}

export function parseAddress(value: unknown): string {
  return parseValue("address", PARAMS.address, value) as string;
}

/** An asset id path parameter as a decimal string. */
export function parseAssetId(name: string, value: unknown): string {
  return parseValue(name, PARAMS.workerpool, value) as string;
}

// Bounds of the ledger's columns (bigint, integer, smallint): a forged cursor beyond them must be
// the client's 400, not a database error.
const blockNumber = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const logIndex = z.number().int().nonnegative().max(2 ** 31 - 1);
const seq = z.number().int().nonnegative().max(2 ** 15 - 1);
const eventCursorSchema = z.tuple([blockNumber, logIndex]);
const paymentCursorSchema = z.tuple([blockNumber, logIndex, seq]);
const taskIndexCursorSchema = z.tuple([z.string().regex(/^[0-9]{1,78}$/)]);

export type ListPage<C> = { limit: number; after: C | null; order: SortOrder };

function pageOf<C>(query: Record<string, unknown>, order: SortOrder | undefined, schema: z.ZodType<C>): ListPage<C> {
  const { limit, cursor } = parsePageQuery(query);
  if (cursor === null) return { limit, after: null, order: order ?? "desc" };
  const parsed = schema.safeParse(cursor);
  if (!parsed.success) throw new MarketError(AUDIT_ERROR_CODES.cursor, "cursor is not one this list returned; start again without it");
  return { limit, after: parsed.data, order: order ?? "desc" };
}

/** Limit, cursor and order of deals, tasks and claims (newest first unless order=asc). */
export function eventPage(query: Record<string, unknown>, order?: SortOrder): ListPage<EventCursor> {
  return pageOf(query, order, eventCursorSchema);
}

export function paymentPage(query: Record<string, unknown>, order?: SortOrder): ListPage<PaymentCursor> {
  return pageOf(query, order, paymentCursorSchema);
}

/** Limit and cursor of a deal's tasks, which always come by index. */
export function taskIndexPage(query: Record<string, unknown>): { limit: number; after: string | null } {
  const page = pageOf(query, "asc", taskIndexCursorSchema);
  return { limit: page.limit, after: page.after === null ? null : page.after[0] };
}
