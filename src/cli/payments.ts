// Payments as the market's audit API serves them (GET /v1/payments), fetched page by page, and
// tolerated as absent when the market runs without the audit routes.
import type { CliContext } from "./context.ts";
import { isContinuumError } from "../core/ContinuumError.ts";
import type { ResultRow } from "./output.ts";
import type { QueryValues, ServiceClient } from "./serviceClient.ts";

export type PaymentJson = {
  kind: string;
  from: string | null;
  to: string | null;
  amount: string;
  dealId: string | null;
  taskIndex: string | null;
  blockNumber: number;
  blockTime: string;
  transactionHash: string;
};

export type PaymentsView = { available: true; items: PaymentJson[] } | { available: false; reason: string };

/** Payouts to `account` (app, dataset or workerpool price) through the audit API, all pages. */
export async function fetchPayments(context: CliContext, market: ServiceClient, filter: { account: string }): Promise<PaymentsView> {
  try {
    const items = await fetchAllPages<PaymentJson>(market, "/payments", { address: filter.account });
    const received = items.filter((item) => item.kind.startsWith("payout_") && sameAddress(item.to, filter.account));
    return { available: true, items: received };
  } catch (error) {
    if (!isContinuumError(error)) throw error;
    const status = error.details?.status;
    if (error.code !== "MARKET_UNREACHABLE" && status !== 404) throw error;
    context.output.status(`payments are not available: ${error.message}`);
    return { available: false, reason: error.message };
  }
}

/** Follows `nextCursor` until the last page. */
export async function fetchAllPages<T>(market: ServiceClient, path: string, query: QueryValues): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await market.get<{ items: T[]; nextCursor: string | null }>(path, { ...query, limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

export function paymentRows(items: readonly PaymentJson[], formatAmount: (value: bigint) => string): ResultRow[] {
  return items.map((item) => [
    `  ${item.kind.replace("payout_", "")}`,
    `${formatAmount(BigInt(item.amount))}  deal ${item.dealId ?? "-"} task ${item.taskIndex ?? "-"}  (${item.blockTime})`,
  ]);
}

function sameAddress(a: string | null, b: string): boolean {
  return a !== null && a.toLowerCase() === b.toLowerCase();
}
