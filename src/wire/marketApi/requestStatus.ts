// GET /v1/requests/{hash} as a requester reads it: the request as the chain knows it (deals,
// tasks, payments), plus its entry in the market's off-chain book when the book holds it.
import type { LastChangeProof, PaymentRecord, RequestStatusRecord } from "./auditRecords.ts";

/** Whether the book still offers an order. */
export type BookOrderStatus = "open" | "removed";
/** Why an order left the book: its signer unpublished it, it was cancelled, used up, or expired. */
export type BookRemovalReason = "unpublished" | "cancelled" | "consumed" | "expired";

/** The request's entry in the off-chain book. */
export type BookEntryJson = {
  status: BookOrderStatus;
  removedReason: BookRemovalReason | null;
  remaining: string;
  publishedAt: string;
};

type NullableProof = { [K in keyof LastChangeProof]: LastChangeProof[K] | null };

export type RequestStatusJson = Omit<RequestStatusRecord, keyof LastChangeProof> &
  NullableProof & {
    payments: PaymentRecord[];
    paymentsTruncated: boolean;
    /** Null when the book does not hold the request (or the server runs without a book). */
    book: BookEntryJson | null;
  };
