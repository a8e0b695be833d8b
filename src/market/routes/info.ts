// GET /v1/info: the chain, the protocol's contracts and the EIP-712 domain and types the market
// verifies signatures with, so a client can sign orders and Unpublish messages with plain ethers.
import express from "express";
import type { Deployment } from "../../chain/deployProtocol.ts";
import { jsonResponse, schemaRef } from "../../http/openApiSchemas.ts";
import type { RouteModule } from "../../http/routeModule.ts";
import { MARKET_MESSAGE_TYPES, marketInfoOf, type MarketReplicaJson } from "../../wire/marketApi/marketInfo.ts";

export type InfoRoutesOptions = {
  chainId: bigint;
  deployment: Pick<Deployment, "continuum" | "appRegistry" | "datasetRegistry" | "workerpoolRegistry" | "token">;
  /** The answering replica and its role, read at each request. */
  replica?: () => MarketReplicaJson;
};

const ADDRESS = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" };
const TYPED_FIELDS = {
  type: "array",
  items: { type: "object", required: ["name", "type"], properties: { name: { type: "string" }, type: { type: "string" } } },
};

const INFO_SCHEMA = {
  type: "object",
  required: ["chainId", "contracts", "eip712"],
  properties: {
    chainId: { type: "string", pattern: "^[0-9]+$", description: "The chain's id as a decimal string" },
    contracts: {
      type: "object",
      required: ["continuum", "appRegistry", "datasetRegistry", "workerpoolRegistry", "token"],
      properties: { continuum: ADDRESS, appRegistry: ADDRESS, datasetRegistry: ADDRESS, workerpoolRegistry: ADDRESS, token: ADDRESS },
    },
    eip712: {
      type: "object",
      description: "Pass domain and types[primaryType] to an EIP-712 signer (ethers: signer.signTypedData(domain, { [name]: types[name] }, message))",
      required: ["domain", "types"],
      properties: {
        domain: {
          type: "object",
          required: ["name", "version", "chainId", "verifyingContract"],
          properties: { name: { const: "Continuum" }, version: { const: "1" }, chainId: { type: "integer" }, verifyingContract: ADDRESS },
        },
        types: {
          type: "object",
          required: [...MARKET_MESSAGE_TYPES],
          properties: Object.fromEntries(MARKET_MESSAGE_TYPES.map((name) => [name, TYPED_FIELDS])),
        },
      },
    },
    replica: {
      type: "object",
      description: "The replica that answered. Several market replicas may share one database; the leader (one at a time) indexes the chain and matches",
      required: ["id", "role", "lease"],
      properties: {
        id: { type: "string", description: "This process's id among the replicas" },
        role: { type: "string", enum: ["leader", "follower"] },
        lease: { type: "string", enum: ["advisory-lock", "sole"], description: "advisory-lock: a PostgreSQL lock the replicas compete for; sole: an embedded database, one process" },
      },
    },
  },
};

export function createInfoRoutes(options: InfoRoutesOptions): RouteModule {
  const { continuum, appRegistry, datasetRegistry, workerpoolRegistry, token } = options.deployment;
  const info = marketInfoOf(options.chainId, { continuum, appRegistry, datasetRegistry, workerpoolRegistry, token });
  const router = express.Router();
  router.get("/info", (_req, res) => {
    res.json(options.replica ? { ...info, replica: options.replica() } : info);
  });
  return {
    name: "info",
    router,
    openapi: {
      paths: {
        "/v1/info": {
          get: {
            summary: "The chain, the contracts and the EIP-712 domain and types to sign orders and Unpublish messages with, and the answering replica's role",
            operationId: "getMarketInfo",
            responses: { "200": jsonResponse("This deployment's signing parameters", schemaRef("MarketInfo")) },
          },
        },
      },
      schemas: { MarketInfo: INFO_SCHEMA },
    },
  };
}
