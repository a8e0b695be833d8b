// Reads the filters of GET /v1/orders/{kind} from the query string; an unknown or malformed
// parameter is INVALID_QUERY naming it, never silently ignored.
import { z } from "zod";
import type { OrderKind } from "../../wire/eip712/index.ts";
import { MarketError } from "../MarketError.ts";
import { address, bytes32, uint256 } from "../book/orderFields.ts";
import { describeIssues } from "../book/orderSchemas.ts";
import type { BookFilters } from "../book/OrderRepository.ts";

export const filtersSchema = z.object({
  asset: uint256().optional(),
  app: uint256().optional(),
  dataset: uint256().optional(),
  workerpool: uint256().optional(),
  requester: address().optional(),
  signer: address().optional(),
  category: uint256().optional(),
  tag: bytes32().optional(),
  minPrice: uint256().optional(),
  maxPrice: uint256().optional(),
  minVolume: uint256().optional(),
  limit: z.unknown().optional(),
  cursor: z.unknown().optional(),
});

const ALLOWED = new Set(Object.keys(filtersSchema.shape));

export function parseBookFilters(kind: OrderKind, query: Record<string, unknown>): BookFilters {
  const unknown = Object.keys(query).find((key) => !ALLOWED.has(key));
  if (unknown !== undefined) {
    throw new MarketError("INVALID_QUERY", `unknown query parameter "${unknown}"; use ${[...ALLOWED].join(", ")}`, { parameter: unknown });
  }
  const parsed = filtersSchema.safeParse(query);
  if (!parsed.success) {
    const issues = describeIssues(parsed.error);
    throw new MarketError("INVALID_QUERY", `bad query parameter: ${issues[0].path} ${issues[0].message}`, { issues });
  }
  const { limit: _limit, cursor: _cursor, ...filters } = parsed.data;
  if (filters.category !== undefined && (kind === "app" || kind === "dataset")) {
    throw new MarketError("INVALID_QUERY", "category filters workerpool orders and requests only; app and dataset orders have none");
  }
  if (filters.minPrice !== undefined && filters.maxPrice !== undefined && filters.minPrice > filters.maxPrice) {
    throw new MarketError("INVALID_QUERY", "minPrice is above maxPrice");
  }
  return filters;
}
