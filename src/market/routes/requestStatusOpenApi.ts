// OpenAPI documentation of GET /v1/requests/{hash}, built on the ledger record schemas the audit
// routes document (the same objects, so both modules can be mounted together).
import { jsonResponse, pathParameter } from "../../http/openApiSchemas.ts";
import type { OpenApiPaths } from "../../http/routeModule.ts";
import { bytes32 } from "../book/orderFields.ts";
import { FINAL_STATUS_DESCRIPTION, LEDGER_SCHEMAS } from "./auditOpenApi.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const UINT = { type: "string", pattern: "^[0-9]{1,78}$" };
const dealSchema = LEDGER_SCHEMAS.LedgerDeal as { required: string[]; properties: Record<string, unknown> };

const REQUEST_DEAL = {
  type: "object",
  description: "A deal of the request with its tasks by index (at most 1000)",
  required: [...dealSchema.required, "tasks", "tasksTruncated"],
  properties: { ...dealSchema.properties, tasks: { type: "array", items: ref("LedgerTask") }, tasksTruncated: { type: "boolean" } },
};

const REQUEST_STATUS = {
  type: "object",
  required: [
    "requestHash", "requester", "status", "cancelled", "matchedVolume", "taskCounts", "deals", "dealsTruncated",
    "payments", "paymentsTruncated", "blockNumber", "blockTime", "transactionHash", "book",
  ],
  properties: {
    requestHash: { type: "string", pattern: "^0x[0-9a-f]{64}$" },
    requester: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" },
    status: {
      type: "string",
      enum: ["open", "cancelled", "running", "completed", "failed", "settled"],
      description:
        "open: published or approved, no deal yet; cancelled: cancelled before any deal; running: tasks remain " +
        `(taskCounts.failed counts those that already failed); ${FINAL_STATUS_DESCRIPTION}`,
    },
    cancelled: { type: "boolean", description: "Cancelled on-chain (no further deal can use it)" },
    matchedVolume: { ...UINT, description: "Tasks in deals so far (the consumed volume)" },
    taskCounts: ref("LedgerTaskCounts"),
    deals: { type: "array", items: ref("RequestDeal"), description: "By request offset, at most 100" },
    dealsTruncated: { type: "boolean" },
    payments: { type: "array", items: ref("LedgerPayment"), description: "Escrow movements of its deals, oldest first" },
    paymentsTruncated: { type: "boolean", description: "More payments exist: page them with GET /v1/payments?deal=" },
    blockNumber: { type: ["integer", "null"], description: "Block of the last on-chain change; null when only the book knows the request" },
    blockTime: { type: ["string", "null"], format: "date-time" },
    transactionHash: { type: ["string", "null"] },
    book: {
      type: ["object", "null"],
      description: "The request's entry in the off-chain book, if it holds it",
      required: ["status", "removedReason", "remaining", "publishedAt"],
      properties: {
        status: { type: "string", enum: ["open", "removed"] },
        removedReason: { type: ["string", "null"], enum: ["unpublished", "cancelled", "consumed", "expired", null] },
        remaining: UINT,
        publishedAt: { type: "string", format: "date-time" },
      },
    },
  },
};

export const REQUEST_STATUS_SCHEMAS: Record<string, unknown> = {
  LedgerTaskCounts: LEDGER_SCHEMAS.LedgerTaskCounts,
  LedgerTask: LEDGER_SCHEMAS.LedgerTask,
  LedgerPayment: LEDGER_SCHEMAS.LedgerPayment,
  RequestDeal: REQUEST_DEAL,
  RequestStatus: REQUEST_STATUS,
};

export const REQUEST_STATUS_PATHS: OpenApiPaths = {
  "/v1/requests/{hash}": {
    get: {
      summary: "Follow a request order: its deals, tasks, result CIDs and payments",
      operationId: "getRequestStatus",
      parameters: [pathParameter("hash", bytes32(), "EIP-712 digest of the request order")],
      responses: { "200": jsonResponse("The request's state", ref("RequestStatus")) },
      errors: ["INVALID_ORDER_HASH", "REQUEST_NOT_FOUND"],
    },
  },
};
