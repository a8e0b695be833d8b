// OpenAPI documentation of the audit routes and the ledger record schemas they (and the request
// status route) answer with. Schemas are shared objects, so two modules may list the same one.
import { PAYMENT_KINDS, TASK_STATUSES } from "../../persistence/ledger/index.ts";
import { errorResponse, jsonResponse } from "../../http/openApi.ts";
import type { OpenApiPaths } from "../../http/routeModule.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const UINT = { type: "string", pattern: "^[0-9]{1,78}$", description: "uint256 as a decimal string" };
const BYTES32 = { type: "string", pattern: "^0x[0-9a-f]{64}$" };
const ADDRESS = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$", description: "Checksummed address" };
const NULLABLE_ADDRESS = { type: ["string", "null"], pattern: "^0x[0-9a-fA-F]{40}$" };

const LAST_CHANGE_PROPERTIES = {
  blockNumber: { type: "integer", description: "Block of the event proving the record (for aggregates: of the last change)" },
  blockTime: { type: "string", format: "date-time" },
  transactionHash: { ...BYTES32, description: "Transaction that emitted that event" },
};
const PROOF_PROPERTIES = { ...LAST_CHANGE_PROPERTIES, logIndex: { type: "integer", description: "Position of the log in its block" } };
const PROOF_FIELDS = Object.keys(PROOF_PROPERTIES);
const LAST_CHANGE_FIELDS = Object.keys(LAST_CHANGE_PROPERTIES);

function record(description: string, properties: Record<string, unknown>, proof: "event" | "lastChange" = "event") {
  const proven = proof === "event" ? PROOF_PROPERTIES : LAST_CHANGE_PROPERTIES;
  return {
    type: "object",
    description,
    required: [...Object.keys(properties), ...(proof === "event" ? PROOF_FIELDS : LAST_CHANGE_FIELDS)],
    properties: { ...properties, ...proven },
  };
}

function page(item: string) {
  return {
    type: "object",
    required: ["items", "nextCursor"],
    properties: {
      items: { type: "array", items: ref(item) },
      nextCursor: { type: ["string", "null"], description: "Pass as cursor for the next page; null on the last page" },
    },
  };
}

const TASK_COUNTS = {
  type: "object",
  required: ["total", "completed", "claimed", "pending"],
  properties: { total: UINT, completed: UINT, claimed: UINT, pending: UINT },
};

const DEAL_TERMS = Object.fromEntries(
  [
    ["dealId", BYTES32],
    ...["app", "dataset", "workerpool"].map((name) => [name, UINT]),
    ...["appOwner", "datasetOwner", "workerpoolOwner", "requester", "beneficiary"].map((name) => [name, ADDRESS]),
    ...["appPrice", "datasetPrice", "workerpoolPrice", "category", "volume", "stakePerTask", "startTime", "deadline", "requestOffset"].map(
      (name) => [name, UINT],
    ),
    ...["tag", "paramsHash", "requestHash", "appOrderHash", "datasetOrderHash", "workerpoolOrderHash"].map((name) => [name, BYTES32]),
    ["resultPublicKey", { type: "string", description: "Requester's key the results are encrypted to" }],
    ["params", { type: "string" }],
    ["status", { type: "string", enum: ["open", "completed", "settled"], description: "open: tasks remain; completed: all results accepted; settled: all final, some claimed" }],
    ["taskCounts", ref("LedgerTaskCounts")],
  ].map(([name, schema]) => [name as string, schema]),
);

export const LEDGER_SCHEMAS: Record<string, unknown> = {
  LedgerTaskCounts: TASK_COUNTS,
  LedgerDeal: record("A deal as its DealCreated event proves it, with its tasks' progress", DEAL_TERMS),
  LedgerDealPage: page("LedgerDeal"),
  LedgerTask: record("A task; a pending one is proven by its deal's event", {
    dealId: BYTES32,
    index: UINT,
    taskId: BYTES32,
    status: { type: "string", enum: ["pending", ...TASK_STATUSES] },
    worker: NULLABLE_ADDRESS,
    enclave: NULLABLE_ADDRESS,
    resultDigest: { type: ["string", "null"] },
    resultCid: { type: ["string", "null"], description: "IPFS CID of the encrypted result" },
  }),
  LedgerTaskPage: page("LedgerTask"),
  LedgerPayment: record("One escrow movement", {
    kind: { type: "string", enum: PAYMENT_KINDS },
    from: NULLABLE_ADDRESS,
    to: NULLABLE_ADDRESS,
    amount: UINT,
    dealId: { type: ["string", "null"], pattern: "^0x[0-9a-f]{64}$" },
    taskIndex: { type: ["string", "null"], pattern: "^[0-9]{1,78}$" },
    seq: { type: "integer", description: "Position among the movements of the same log" },
  }),
  LedgerPaymentPage: page("LedgerPayment"),
  LedgerClaim: record("A task claimed after its deadline: the requester's refund and the slashed stake", {
    dealId: BYTES32,
    index: UINT,
    taskId: BYTES32,
    workerpool: UINT,
    workerpoolOwner: ADDRESS,
    requester: ADDRESS,
    refunded: UINT,
    slashed: UINT,
  }),
  LedgerClaimPage: page("LedgerClaim"),
  WorkerpoolReputation: record(
    "A workerpool's reputation after its last change (its registration when no task settled yet)",
    { workerpool: UINT, completed: UINT, failed: UINT, score: { ...UINT, description: "Out of 10000; pools start at 5000" } },
    "lastChange",
  ),
  EscrowAccount: record("An escrow account after its last movement", { address: ADDRESS, balance: UINT, locked: UINT }, "lastChange"),
};

const query = (name: string, description: string, schema: unknown) => ({ name, in: "query", required: false, description, schema });
const UINT_IN = { type: "string", pattern: "^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$" };
const ADDRESS_IN = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" };
const BYTES32_IN = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" };
const TIME_IN = { type: "string", description: "Unix seconds or ISO 8601 date-time" };

const FILTERS: Record<string, unknown> = {
  deal: query("deal", "Only this deal", BYTES32_IN),
  address: query("address", "Any party: requester, beneficiary, an asset owner (and, for tasks, the worker; for payments, payer or payee)", ADDRESS_IN),
  requester: query("requester", "The deal's requester", ADDRESS_IN),
  app: query("app", "Deals of this app", UINT_IN),
  dataset: query("dataset", "Deals of this dataset", UINT_IN),
  workerpool: query("workerpool", "Deals of this workerpool", UINT_IN),
  from: query("from", "Block time at or after", TIME_IN),
  to: query("to", "Block time before", TIME_IN),
  order: query("order", "desc (newest first, the default) or asc", { type: "string", enum: ["asc", "desc"] }),
  kind: query("kind", "Kind of movement", { type: "string", enum: PAYMENT_KINDS }),
  status: query("status", "completed or claimed", { type: "string", enum: TASK_STATUSES }),
};
const PAGE_PARAMETERS = [
  query("limit", "Page size, 1 to 500 (default 50)", { type: "integer", minimum: 1, maximum: 500 }),
  query("cursor", "nextCursor of the previous page (with the same filters and order)", { type: "string" }),
];

const LIST_ERRORS = errorResponse("A bad filter, limit or cursor", [
  "INVALID_ADDRESS",
  "INVALID_DEAL_ID",
  "INVALID_ASSET_ID",
  "INVALID_TIME_RANGE",
  "INVALID_QUERY",
  "INVALID_LIMIT",
  "INVALID_CURSOR",
]);

function list(summary: string, operationId: string, filters: readonly string[], item: string) {
  return {
    get: {
      summary,
      operationId,
      parameters: [...filters.map((name) => FILTERS[name]), ...PAGE_PARAMETERS],
      responses: { "200": jsonResponse(`A page of ${summary.toLowerCase()}`, ref(`${item}Page`)), "400": LIST_ERRORS },
    },
  };
}

const dealIdParameter = { name: "dealId", in: "path", required: true, schema: BYTES32_IN };
const DEAL_NOT_FOUND = errorResponse("No such deal in the ledger", ["DEAL_NOT_FOUND"]);

export const AUDIT_PATHS: OpenApiPaths = {
  "/v1/deals": list("Deals", "listDeals", ["address", "requester", "app", "dataset", "workerpool", "from", "to", "order"], "LedgerDeal"),
  "/v1/deals/{dealId}": {
    get: {
      summary: "One deal",
      operationId: "getDeal",
      parameters: [dealIdParameter],
      responses: {
        "200": jsonResponse("The deal", ref("LedgerDeal")),
        "400": errorResponse("Malformed deal id", ["INVALID_DEAL_ID"]),
        "404": DEAL_NOT_FOUND,
      },
    },
  },
  "/v1/deals/{dealId}/tasks": {
    get: {
      summary: "Every task of a deal by index, pending ones included",
      operationId: "listDealTasks",
      parameters: [dealIdParameter, ...PAGE_PARAMETERS],
      responses: {
        "200": jsonResponse("A page of tasks", ref("LedgerTaskPage")),
        "400": errorResponse("Malformed deal id, limit or cursor", ["INVALID_DEAL_ID", "INVALID_QUERY", "INVALID_LIMIT", "INVALID_CURSOR"]),
        "404": DEAL_NOT_FOUND,
      },
    },
  },
  "/v1/tasks": list(
    "Completed and claimed tasks",
    "listTasks",
    ["deal", "address", "requester", "app", "dataset", "workerpool", "from", "to", "status", "order"],
    "LedgerTask",
  ),
  "/v1/claims": list("Claims", "listClaims", ["deal", "address", "requester", "app", "dataset", "workerpool", "from", "to", "order"], "LedgerClaim"),
  "/v1/payments": list(
    "Escrow movements",
    "listPayments",
    ["deal", "address", "requester", "app", "dataset", "workerpool", "from", "to", "kind", "order"],
    "LedgerPayment",
  ),
  "/v1/workerpools/{workerpool}/reputation": {
    get: {
      summary: "A workerpool's reputation",
      operationId: "getWorkerpoolReputation",
      parameters: [{ name: "workerpool", in: "path", required: true, description: "Workerpool id", schema: UINT_IN }],
      responses: {
        "200": jsonResponse("Its reputation", ref("WorkerpoolReputation")),
        "400": errorResponse("Malformed workerpool id", ["INVALID_ASSET_ID"]),
        "404": errorResponse("No such workerpool registered", ["WORKERPOOL_NOT_FOUND"]),
      },
    },
  },
  "/v1/accounts/{address}/escrow": {
    get: {
      summary: "An escrow account's balance and locked funds",
      operationId: "getEscrowAccount",
      parameters: [{ name: "address", in: "path", required: true, schema: ADDRESS_IN }],
      responses: {
        "200": jsonResponse("The account", ref("EscrowAccount")),
        "400": errorResponse("Malformed address", ["INVALID_ADDRESS"]),
        "404": errorResponse("No movement of this account was indexed", ["ACCOUNT_NOT_FOUND"]),
      },
    },
  },
};

export const AUDIT_SCHEMAS = LEDGER_SCHEMAS;
