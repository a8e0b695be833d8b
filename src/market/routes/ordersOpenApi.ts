// OpenAPI documentation of the order routes. Order schemas are generated from the EIP-712 type
// definitions, so the documented fields are exactly the signed ones.
import { ORDER_PRIMARY_TYPE, ORDER_TYPES, type OrderKind } from "../../wire/eip712/index.ts";
import { errorResponse, jsonRequestBody, jsonResponse } from "../../http/openApi.ts";
import type { OpenApiPaths } from "../../http/routeModule.ts";

export const ORDER_KINDS: readonly OrderKind[] = ["app", "dataset", "workerpool", "request"];

const UINT256 = { type: "string", pattern: "^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$", description: "uint256 as a decimal or 0x-hex string" };
const BYTES32 = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" };
const ADDRESS = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" };
const SIGNATURE = { type: "string", pattern: "^0x([0-9a-fA-F]{130})?$", description: "65-byte EIP-712 signature, or \"0x\" for an order approved on-chain" };
const HASH = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$", description: "EIP-712 digest of the order" };

const FIELD_SCHEMA: Record<string, unknown> = { uint256: UINT256, bytes32: BYTES32, address: ADDRESS, string: { type: "string" } };

const schemaName = (kind: OrderKind) => ORDER_PRIMARY_TYPE[kind];
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function orderSchema(kind: OrderKind) {
  const fields = ORDER_TYPES[kind][ORDER_PRIMARY_TYPE[kind]];
  return {
    type: "object",
    additionalProperties: false,
    required: fields.map((field) => field.name),
    properties: Object.fromEntries(fields.map((field) => [field.name, FIELD_SCHEMA[field.type]])),
  };
}

function publishSchema(kind: OrderKind) {
  return {
    type: "object",
    additionalProperties: false,
    required: ["order", "signature"],
    properties: {
      order: ref(schemaName(kind)),
      signature: SIGNATURE,
      signer: { ...ADDRESS, description: "Optional: the address you signed with, for a precise BAD_SIGNATURE message" },
    },
  };
}

export const ORDER_SCHEMAS_OPENAPI: Record<string, unknown> = {
  ...Object.fromEntries(ORDER_KINDS.map((kind) => [schemaName(kind), orderSchema(kind)])),
  ...Object.fromEntries(ORDER_KINDS.map((kind) => [`Publish${schemaName(kind)}`, publishSchema(kind)])),
  BookOrder: {
    type: "object",
    required: ["kind", "hash", "signer", "signature", "remaining", "publishedAt", "status", "order"],
    properties: {
      kind: { type: "string", enum: ORDER_KINDS },
      hash: HASH,
      signer: ADDRESS,
      signature: SIGNATURE,
      remaining: { ...UINT256, description: "Volume not yet consumed on-chain" },
      publishedAt: { type: "string", format: "date-time" },
      status: { type: "string", enum: ["open", "removed"] },
      removedReason: { type: ["string", "null"], enum: ["unpublished", "cancelled", "consumed", "expired", null] },
      order: { oneOf: ORDER_KINDS.map((kind) => ref(schemaName(kind))) },
    },
  },
  BookOrderPage: {
    type: "object",
    required: ["items", "nextCursor"],
    properties: { items: { type: "array", items: ref("BookOrder") }, nextCursor: { type: ["string", "null"] } },
  },
  UnpublishRequest: {
    type: "object",
    additionalProperties: false,
    required: ["expiry", "signature"],
    description: "EIP-712 Unpublish { bytes32 orderHash; uint256 expiry } in the deployment's domain, signed by the order's signer",
    properties: { expiry: { ...UINT256, description: "Unix seconds after which the message is refused" }, signature: { ...SIGNATURE, pattern: "^0x[0-9a-fA-F]{130}$" } },
  },
};

const kindParameter = { name: "kind", in: "path", required: true, schema: { type: "string", enum: ORDER_KINDS } };
const hashParameter = { name: "hash", in: "path", required: true, schema: HASH };
const query = (name: string, description: string, schema: unknown = UINT256) => ({ name, in: "query", required: false, description, schema });

const PUBLISH_REFUSALS = errorResponse("The order cannot be accepted", [
  "INVALID_ORDER", "BAD_SIGNATURE", "NOT_ASSET_OWNER", "UNKNOWN_ASSET", "UNKNOWN_CATEGORY", "ORDER_EXPIRED", "ORDER_CANCELLED",
  "ORDER_STALE", "ORDER_CONSUMED", "INSUFFICIENT_ESCROW", "INSUFFICIENT_STAKE",
]);

function publishResponses() {
  return {
    "201": jsonResponse("The order is in the book", ref("BookOrder")),
    "400": errorResponse("Malformed order or signature", ["INVALID_ORDER", "BAD_SIGNATURE", "MALFORMED_JSON"]),
    "403": errorResponse("The signer does not own the asset", ["NOT_ASSET_OWNER"]),
    "409": errorResponse("The order was already published", ["ORDER_EXISTS"]),
    "422": PUBLISH_REFUSALS,
    "503": errorResponse("The chain cannot be read", ["CHAIN_UNAVAILABLE"]),
  };
}

export const ORDER_PATHS: OpenApiPaths = {
  "/v1/orders/{kind}": {
    post: {
      summary: "Publish a signed order",
      description: "Checks schema, EIP-712 signature, asset ownership (or requester), expiry, cancellation, remaining volume, the requester's escrow or the workerpool's stake, then adds the order to the book.",
      operationId: "publishOrder",
      parameters: [kindParameter],
      requestBody: jsonRequestBody({ oneOf: ORDER_KINDS.map((kind) => ref(`Publish${schemaName(kind)}`)) }),
      responses: { ...publishResponses(), "404": errorResponse("Unknown order kind", ["UNKNOWN_ORDER_KIND"]) },
    },
    get: {
      summary: "Query open orders of a kind",
      description: "App, dataset and workerpool orders come cheapest first, then oldest first; requests come newest first. For a request, price is its maximum cost per task.",
      operationId: "queryOrders",
      parameters: [
        kindParameter,
        query("asset", "The order's own asset id (a request's app)"),
        query("app", "Usable with this app (offers not restricted to another app; requests for it)"),
        query("dataset", "Usable with this dataset (requests: naming it)"),
        query("workerpool", "Usable with this workerpool (requests: naming it or any)"),
        query("requester", "Offers open to this requester; requests by this requester", ADDRESS),
        query("signer", "Signed by this address", ADDRESS),
        query("category", "Category (workerpool orders and requests only)"),
        query("tag", "Compatible with a deal carrying this tag: workerpools offering all its bits, others asking none beyond it", BYTES32),
        query("minPrice", "Lowest price"),
        query("maxPrice", "Highest price"),
        query("minVolume", "Smallest remaining volume"),
        query("limit", "Page size, 1 to 500 (default 50)", { type: "integer", minimum: 1, maximum: 500 }),
        query("cursor", "nextCursor of the previous page", { type: "string" }),
      ],
      responses: {
        "200": jsonResponse("A page of open orders", ref("BookOrderPage")),
        "400": errorResponse("Bad filter or cursor", ["INVALID_QUERY", "INVALID_LIMIT", "INVALID_CURSOR"]),
        "404": errorResponse("Unknown order kind", ["UNKNOWN_ORDER_KIND"]),
      },
    },
  },
  "/v1/orders/{kind}/{hash}": {
    get: {
      summary: "One order, open or removed",
      operationId: "getOrder",
      parameters: [kindParameter, hashParameter],
      responses: {
        "200": jsonResponse("The order", ref("BookOrder")),
        "400": errorResponse("Malformed hash", ["INVALID_HASH"]),
        "404": errorResponse("No such order", ["ORDER_NOT_FOUND", "UNKNOWN_ORDER_KIND"]),
      },
    },
  },
  "/v1/orders/{kind}/{hash}/unpublish": {
    post: {
      summary: "Take an order off the book",
      description: "Off-chain only: the signed order stays valid on-chain until cancelled there.",
      operationId: "unpublishOrder",
      parameters: [kindParameter, hashParameter],
      requestBody: jsonRequestBody(ref("UnpublishRequest")),
      responses: {
        "200": jsonResponse("The order, now removed", ref("BookOrder")),
        "400": errorResponse("Malformed request or signature", ["INVALID_UNPUBLISH", "BAD_SIGNATURE", "INVALID_HASH"]),
        "403": errorResponse("Not signed by the order's signer", ["NOT_ORDER_SIGNER"]),
        "404": errorResponse("No such order", ["ORDER_NOT_FOUND", "UNKNOWN_ORDER_KIND"]),
        "422": errorResponse("The unpublish message expired", ["UNPUBLISH_EXPIRED"]),
        "503": errorResponse("The chain cannot be read", ["CHAIN_UNAVAILABLE"]),
      },
    },
  },
  "/v1/requests": {
    post: {
      summary: "Submit a signed request order",
      description: "The same validation as publishing a request order; follow it with GET /v1/requests/{hash}.",
      operationId: "submitRequest",
      requestBody: jsonRequestBody(ref("PublishRequestOrder")),
      responses: publishResponses(),
    },
  },
};
