// GET /v1/requests/{hash} for requesters: the request order as the chain knows it (consumed
// volume, cancellation, its deals with their tasks, states, result CIDs and payments), plus its
// record in the book when there is one, so a published but unmatched request reads as "open".
import express from "express";
import type { Ledger, PaymentRecord, RequestStatusRecord } from "../../persistence/ledger/index.ts";
import type { BookEntryJson, RequestStatusJson } from "../../wire/marketApi/requestStatus.ts";
import type { OrderBook } from "../book/OrderBook.ts";
import type { BookOrder } from "../book/orderRow.ts";
import type { RouteModule } from "../../http/routeModule.ts";
import { MarketError } from "../MarketError.ts";
import { parseOrderHash } from "./auditQuery.ts";
import { REQUEST_STATUS_PATHS, REQUEST_STATUS_SCHEMAS } from "./requestStatusOpenApi.ts";

/** Payments listed per deal in a request status; the rest are paged by GET /v1/payments?deal=. */
export const MAX_REQUEST_PAYMENTS_PER_DEAL = 500;

export type RequestStatusOptions = { book?: OrderBook };

function bookEntryOf(order: BookOrder): BookEntryJson {
  return {
    status: order.status,
    removedReason: order.removedReason,
    remaining: order.remaining.toString(),
    publishedAt: new Date(order.publishedAt).toISOString(),
  };
}

async function paymentsOf(ledger: Ledger, status: RequestStatusRecord): Promise<{ payments: PaymentRecord[]; truncated: boolean }> {
  const payments: PaymentRecord[] = [];
  let truncated = false;
  for (const deal of status.deals) {
    const page = await ledger.payments({ deal: deal.dealId }, { limit: MAX_REQUEST_PAYMENTS_PER_DEAL, order: "asc" });
    payments.push(...page.items);
    truncated ||= page.nextCursor !== null;
  }
  return { payments, truncated: truncated || status.dealsTruncated };
}

/** A request the book holds open but the chain has not seen yet. */
function publishedOnly(order: BookOrder): RequestStatusJson {
  return {
    requestHash: order.hash,
    requester: order.signer,
    status: "open",
    cancelled: false,
    matchedVolume: "0",
    taskCounts: { total: "0", completed: "0", failed: "0", claimed: "0", pending: "0" },
    deals: [],
    dealsTruncated: false,
    payments: [],
    paymentsTruncated: false,
    blockNumber: null,
    blockTime: null,
    transactionHash: null,
    book: bookEntryOf(order),
  };
}

export function createRequestStatusRoutes(ledger: Ledger, options: RequestStatusOptions = {}): RouteModule {
  const router = express.Router();

  router.get("/requests/:hash", async (req, res) => {
    const hash = parseOrderHash(req.params.hash);
    const booked = await options.book?.get(hash);
    const inBook = booked?.kind === "request" ? booked : undefined;
    const status = await ledger.requestStatus(hash);
    if (status) {
      const { payments, truncated } = await paymentsOf(ledger, status);
      const body: RequestStatusJson = { ...status, payments, paymentsTruncated: truncated, book: inBook ? bookEntryOf(inBook) : null };
      res.json(body);
      return;
    }
    if (inBook?.status === "open") {
      res.json(publishedOnly(inBook));
      return;
    }
    throw new MarketError(
      "REQUEST_NOT_FOUND",
      `the chain has no deal, approval or cancellation of request ${hash}${inBook ? ` and the book removed it (${inBook.removedReason})` : ""}; ` +
        "publish it with POST /v1/requests, or wait for the indexer to reach its block",
      { hash, ...(inBook ? { removedReason: inBook.removedReason } : {}) },
    );
  });

  return { name: "requests", router, openapi: { paths: REQUEST_STATUS_PATHS, schemas: REQUEST_STATUS_SCHEMAS } };
}
