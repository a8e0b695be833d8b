// OpenAPI documentation of the order routes. Request schemas are generated from the zod schemas
// the intake validates with, so the documented fields are exactly the accepted ones; the signing
// parameters (domain and types) are served by GET /v1/info.
import { z } from "zod";
import { ORDER_PRIMARY_TYPE, type OrderKind } from "../../wire/eip712/index.ts";
import { jsonRequestBody, jsonResponse, jsonSchemaOf, PAGE_PARAMETERS, pathParameter, queryParametersOf, schemaRef } from "../../http/openApiSchemas.ts";
import type { OpenApiPaths } from "../../http/routeModule.ts";
import { INTAKE_ERROR_CODES } from "../book/intakeErrors.ts";
import { bytes32 } from "../book/orderFields.ts";
import { ORDER_SCHEMAS, PUBLISH_BODY_SCHEMAS } from "../book/orderSchemas.ts";
import { unpublishBodySchema } from "../book/unpublish.ts";
import type { MarketErrorCode } from "../MarketError.ts";
import { filtersSchema } from "./orderQuery.ts";

export const ORDER_KINDS: readonly OrderKind[] = ["app", "dataset", "workerpool", "request"];

const HASH = { type: "string", pattern: "^0x[0-9a-f]{64}$", description: "EIP-712 digest of the order" };
const ADDRESS = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" };
const UINT = { type: "string", pattern: "^[0-9]{1,78}$" };

const schemaName = (kind: OrderKind) => ORDER_PRIMARY_TYPE[kind];

function publishSchema(kind: OrderKind) {
  const generated = jsonSchemaOf(PUBLISH_BODY_SCHEMAS[kind]) as { properties: Record<string, unknown> };
  return { ...generated, properties: { ...generated.properties, order: schemaRef(schemaName(kind)) } };
}

export const ORDER_SCHEMAS_OPENAPI: Record<string, unknown> = {
  ...Object.fromEntries(ORDER_KINDS.map((kind) => [schemaName(kind), jsonSchemaOf(ORDER_SCHEMAS[kind])])),
  ...Object.fromEntries(ORDER_KINDS.map((kind) => [`Publish${schemaName(kind)}`, publishSchema(kind)])),
  BookOrder: {
    type: "object",
    required: ["kind", "hash", "signer", "signature", "remaining", "publishedAt", "status", "removedReason", "order"],
    properties: {
      kind: { type: "string", enum: ORDER_KINDS },
      hash: HASH,
      signer: ADDRESS,
      signature: { type: "string", description: "As published: 65 bytes of hex, or \"0x\" for an order approved on-chain" },
      remaining: { ...UINT, description: "Volume not yet consumed on-chain" },
      publishedAt: { type: "string", format: "date-time" },
      status: { type: "string", enum: ["open", "removed"] },
      removedReason: { type: ["string", "null"], enum: ["unpublished", "cancelled", "consumed", "expired", null] },
      order: { oneOf: ORDER_KINDS.map((kind) => schemaRef(schemaName(kind))) },
    },
  },
  BookOrderPage: {
    type: "object",
    required: ["items", "nextCursor"],
    properties: { items: { type: "array", items: schemaRef("BookOrder") }, nextCursor: { type: ["string", "null"] } },
  },
  UnpublishRequest: {
    ...jsonSchemaOf(unpublishBodySchema),
    description: "EIP-712 Unpublish { bytes32 orderHash; uint256 expiry } in the deployment's domain (GET /v1/info), signed by the order's signer",
  },
};

const kindParameter = pathParameter("kind", z.enum(ORDER_KINDS as [OrderKind, ...OrderKind[]]));
const hashParameter = pathParameter("hash", bytes32(), "EIP-712 digest of the order");

const FILTER_DESCRIPTIONS: Record<string, string> = {
  asset: "The order's own asset id (a request's app)",
  app: "Usable with this app (offers not restricted to another app; requests for it)",
  dataset: "Usable with this dataset (requests: naming it)",
  workerpool: "Usable with this workerpool (requests: naming it or any)",
  requester: "Offers open to this requester; requests by this requester",
  signer: "Signed by this address",
  category: "Category (workerpool orders and requests only)",
  tag: "Compatible with a deal carrying this tag: workerpools offering all its bits, others asking none beyond it",
  minPrice: "Lowest price (for a request: its maximum cost per task)",
  maxPrice: "Highest price",
  minVolume: "Smallest remaining volume",
};
const { limit: _limit, cursor: _cursor, ...FILTERS } = filtersSchema.shape;

const SIGNING =
  "Sign the order's EIP-712 struct with the domain and types GET /v1/info serves (domain \"Continuum\" version 1, this chain, " +
  "the Continuum contract); the order's hash is its EIP-712 digest.";
const PUBLISH_ERRORS = INTAKE_ERROR_CODES;
const UNPUBLISH_ERRORS: readonly (MarketErrorCode | "CHAIN_UNAVAILABLE")[] = [
  "INVALID_UNPUBLISH", "BAD_SIGNATURE", "INVALID_ORDER_HASH", "NOT_ORDER_SIGNER", "ORDER_NOT_FOUND", "UNKNOWN_ORDER_KIND", "UNPUBLISH_EXPIRED", "CHAIN_UNAVAILABLE",
];

export const ORDER_PATHS: OpenApiPaths = {
  "/v1/orders/{kind}": {
    post: {
      summary: "Publish a signed order",
      description:
        `${SIGNING} Checks schema, EIP-712 signature, asset ownership (or requester), expiry, cancellation, remaining volume, ` +
        "the requester's escrow or the workerpool's stake, then adds the order to the book.",
      operationId: "publishOrder",
      parameters: [kindParameter],
      requestBody: jsonRequestBody({ oneOf: ORDER_KINDS.map((kind) => schemaRef(`Publish${schemaName(kind)}`)) }),
      responses: { "201": jsonResponse("The order is in the book", schemaRef("BookOrder")) },
      errors: [...PUBLISH_ERRORS, "UNKNOWN_ORDER_KIND"],
    },
    get: {
      summary: "Query open orders of a kind",
      description: "App, dataset and workerpool orders come cheapest first, then oldest first; requests come newest first. For a request, price is its maximum cost per task.",
      operationId: "queryOrders",
      parameters: [kindParameter, ...queryParametersOf(FILTERS, FILTER_DESCRIPTIONS), ...PAGE_PARAMETERS],
      responses: { "200": jsonResponse("A page of open orders", schemaRef("BookOrderPage")) },
      errors: ["INVALID_QUERY", "INVALID_LIMIT", "INVALID_CURSOR", "UNKNOWN_ORDER_KIND"],
    },
  },
  "/v1/orders/{kind}/{hash}": {
    get: {
      summary: "One order, open or removed",
      operationId: "getOrder",
      parameters: [kindParameter, hashParameter],
      responses: { "200": jsonResponse("The order", schemaRef("BookOrder")) },
      errors: ["INVALID_ORDER_HASH", "ORDER_NOT_FOUND", "UNKNOWN_ORDER_KIND"],
    },
  },
  "/v1/orders/{kind}/{hash}/unpublish": {
    post: {
      summary: "Take an order off the book",
      description: "Off-chain only: the signed order stays valid on-chain until cancelled there. Sign Unpublish with the domain and types of GET /v1/info.",
      operationId: "unpublishOrder",
      parameters: [kindParameter, hashParameter],
      requestBody: jsonRequestBody(schemaRef("UnpublishRequest")),
      responses: { "200": jsonResponse("The order, now removed", schemaRef("BookOrder")) },
      errors: UNPUBLISH_ERRORS,
    },
  },
  "/v1/requests": {
    post: {
      summary: "Submit a signed request order",
      description: `${SIGNING} The same validation as publishing a request order; follow it with GET /v1/requests/{hash}.`,
      operationId: "submitRequest",
      requestBody: jsonRequestBody(schemaRef("PublishRequestOrder")),
      responses: { "201": jsonResponse("The request is in the book", schemaRef("BookOrder")) },
      errors: PUBLISH_ERRORS,
    },
  },
};
