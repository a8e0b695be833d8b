// GET /v1/info of the market: everything a client needs to sign for this deployment with plain
// EIP-712 tooling: the chain, the protocol's contracts, and the domain and types of every
// message the market accepts, taken from the one TypeScript copy of those types.
import type { TypedDataField } from "ethers";
import { DOMAIN_NAME, DOMAIN_VERSION, ORDER_PRIMARY_TYPE, ORDER_TYPES, type OrderKind } from "../eip712/types.ts";
import { UNPUBLISH_TYPES } from "../eip712/unpublish.ts";

export type MarketContracts = {
  continuum: string;
  appRegistry: string;
  datasetRegistry: string;
  workerpoolRegistry: string;
  token: string;
};

/** The message names the market signs with; each is the primary type of its own types object. */
export const MARKET_MESSAGE_TYPES = ["AppOrder", "DatasetOrder", "WorkerpoolOrder", "RequestOrder", "Unpublish"] as const;

export type MarketInfoJson = {
  /** Decimal string, as the scheduler's /v1/info spells it. */
  chainId: string;
  contracts: MarketContracts;
  eip712: {
    /** chainId as a JSON number, as wallets' eth_signTypedData_v4 expects it. */
    domain: { name: string; version: string; chainId: number; verifyingContract: string };
    types: Record<(typeof MARKET_MESSAGE_TYPES)[number], TypedDataField[]>;
  };
  replica?: MarketReplicaJson;
};

/** Which market replica answered, and whether it is the one that matches. */
export type MarketReplicaJson = {
  /** This process's id among the replicas (host, pid and a random part). */
  id: string;
  /** The leader holds the lease: it indexes the chain and matches; followers serve the API and the feed. */
  role: "leader" | "follower";
  /** How the lease is held: a PostgreSQL advisory lock, or alone on an embedded database. */
  lease: "advisory-lock" | "sole";
};

const ORDER_KINDS: readonly OrderKind[] = ["app", "dataset", "workerpool", "request"];

export function marketInfoOf(chainId: bigint, contracts: MarketContracts): MarketInfoJson {
  if (chainId > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`chain id ${chainId} does not fit a JSON number`);
  const orderTypes = Object.fromEntries(ORDER_KINDS.map((kind) => [ORDER_PRIMARY_TYPE[kind], ORDER_TYPES[kind][ORDER_PRIMARY_TYPE[kind]]]));
  return {
    chainId: chainId.toString(),
    contracts,
    eip712: {
      domain: { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId: Number(chainId), verifyingContract: contracts.continuum },
      types: { ...orderTypes, Unpublish: UNPUBLISH_TYPES.Unpublish } as MarketInfoJson["eip712"]["types"],
    },
  };
}
