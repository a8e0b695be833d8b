// OpenAPI documentation of the audit routes and the ledger record schemas they (and the request
// status route) answer with. Query and path parameters are generated from the zod schemas that
// parse them; schemas are shared objects, so two modules may list the same one.
import { PAYMENT_KINDS, TASK_FAILURE_CODES, TASK_STATUSES } from "../../persistence/ledger/index.ts";
import { jsonResponse, jsonSchemaOf, PAGE_PARAMETERS, pageSchema, queryParametersOf } from "../../http/openApiSchemas.ts";
import type { OpenApiPaths } from "../../http/routeModule.ts";
import type { MarketErrorCode } from "../MarketError.ts";
import { AUDIT_ERROR_CODES, LIST_PARAMS, PARAMS } from "./auditQuery.ts";

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

const page = (item: string) => pageSchema(ref(item));

const TASK_COUNTS = {
  type: "object",
  required: ["total", "completed", "failed", "claimed", "pending"],
  properties: {
    total: UINT,
    completed: UINT,
    failed: { ...UINT, description: "Settled on the SMS's verdict blaming the requester, the dataset owner or the app owner" },
    claimed: { ...UINT, description: "Claimed after the deadline without a result" },
    pending: UINT,
  },
};

const TASK_FAILURE = {
  type: ["object", "null"],
  description:
    "Why a failed or claimed task has no result; null for pending and completed tasks. " +
    "REQUESTER_CAUSED, DATASET_OWNER_CAUSED, APP_OWNER_CAUSED: the SMS's signed verdict named that party (TaskFailed); " +
    "DEADLINE_PASSED: no result by the deadline, claimed",
  required: ["code", "attempts"],
  properties: {
    code: { type: "string", enum: TASK_FAILURE_CODES },
    attempts: {
      type: ["integer", "null"],
      minimum: 1,
      description: "The attempt at which the SMS refused the task for good (1 for the first); null for a claim",
    },
  },
};

/** Once no task is pending: failed if any failed, else settled if any was claimed, else completed. */
export const FINAL_STATUS_DESCRIPTION =
  "completed: every task completed; failed: every task final, at least one failed (see each task's failure); " +
  "settled: every task final, some claimed, none failed";

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
    ["status", { type: "string", enum: ["open", "completed", "failed", "settled"], description: `open: tasks remain; ${FINAL_STATUS_DESCRIPTION}` }],
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
    failure: TASK_FAILURE,
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
  EscrowAccount: {
    type: "object",
    description: "An escrow account after its last movement; an account nothing ever moved reads as zero, with null proof fields",
    required: ["address", "balance", "locked", ...LAST_CHANGE_FIELDS],
    properties: {
      address: ADDRESS,
      balance: { ...UINT, description: "Free balance" },
      locked: { ...UINT, description: "Locked in running deals (payments and stakes)" },
      blockNumber: { type: ["integer", "null"], description: "Block of the last movement; null when none was indexed" },
      blockTime: { type: ["string", "null"], format: "date-time" },
      transactionHash: { type: ["string", "null"], pattern: "^0x[0-9a-f]{64}$" },
    },
  },
};

const FILTER_DESCRIPTIONS: Record<string, string> = {
  deal: "Only this deal",
  address: "Any party: requester, beneficiary, an asset owner (and, for tasks, the worker; for payments, payer or payee)",
  requester: "The deal's requester",
  app: "Deals of this app",
  dataset: "Deals of this dataset",
  workerpool: "Deals of this workerpool",
  from: "Block time at or after: unix seconds or ISO 8601 date-time",
  to: "Block time before: unix seconds or ISO 8601 date-time",
  order: "desc (newest first, the default) or asc",
  kind: "Kind of movement",
  status: "completed, failed or claimed",
};

type ListName = keyof typeof LIST_PARAMS;

function filtersOf(list: ListName) {
  const shape = Object.fromEntries(LIST_PARAMS[list].map((name) => [name, PARAMS[name].schema]));
  return queryParametersOf(shape, FILTER_DESCRIPTIONS);
}

/** The codes a list answers: its filters' own codes, unknown parameters, and paging. */
function listErrors(list: ListName): string[] {
  const own: MarketErrorCode[] = LIST_PARAMS[list].map((name: keyof typeof PARAMS) => PARAMS[name].code);
  return [...new Set<string>([...own, AUDIT_ERROR_CODES.query, AUDIT_ERROR_CODES.cursor, "INVALID_LIMIT"])];
}

function list(summary: string, operationId: string, name: ListName, item: string) {
  return {
    get: {
      summary,
      operationId,
      parameters: [...filtersOf(name), ...PAGE_PARAMETERS],
      responses: { "200": jsonResponse(`A page of ${summary.toLowerCase()}`, ref(`${item}Page`)) },
      errors: listErrors(name),
    },
  };
}

const pathOf = (name: string, param: keyof typeof PARAMS, description?: string) => ({
  name,
  in: "path",
  required: true,
  ...(description ? { description } : {}),
  schema: jsonSchemaOf(PARAMS[param].schema),
});
const dealIdParameter = pathOf("dealId", "deal");

export const AUDIT_PATHS: OpenApiPaths = {
  "/v1/deals": list("Deals", "listDeals", "deals", "LedgerDeal"),
  "/v1/deals/{dealId}": {
    get: {
      summary: "One deal",
      operationId: "getDeal",
      parameters: [dealIdParameter],
      responses: { "200": jsonResponse("The deal", ref("LedgerDeal")) },
      errors: ["INVALID_DEAL_ID", "DEAL_NOT_FOUND"],
    },
  },
  "/v1/deals/{dealId}/tasks": {
    get: {
      summary: "Every task of a deal by index, pending ones included",
      operationId: "listDealTasks",
      parameters: [dealIdParameter, ...PAGE_PARAMETERS],
      responses: { "200": jsonResponse("A page of tasks", ref("LedgerTaskPage")) },
      errors: ["INVALID_DEAL_ID", ...listErrors("dealTasks"), "DEAL_NOT_FOUND"],
    },
  },
  "/v1/tasks": list("Completed, failed and claimed tasks", "listTasks", "tasks", "LedgerTask"),
  "/v1/claims": list("Claims", "listClaims", "claims", "LedgerClaim"),
  "/v1/payments": list("Escrow movements", "listPayments", "payments", "LedgerPayment"),
  "/v1/workerpools/{workerpool}/reputation": {
    get: {
      summary: "A workerpool's reputation",
      operationId: "getWorkerpoolReputation",
      parameters: [pathOf("workerpool", "workerpool", "Workerpool id")],
      responses: { "200": jsonResponse("Its reputation", ref("WorkerpoolReputation")) },
      errors: ["INVALID_ASSET_ID", "WORKERPOOL_NOT_FOUND"],
    },
  },
  "/v1/accounts/{address}/escrow": {
    get: {
      summary: "An escrow account's balance and locked funds (zero for an account nothing ever moved)",
      operationId: "getEscrowAccount",
      parameters: [pathOf("address", "address")],
      responses: { "200": jsonResponse("The account", ref("EscrowAccount")) },
      errors: ["INVALID_ADDRESS"],
    },
  },
};

export const AUDIT_SCHEMAS = LEDGER_SCHEMAS;
