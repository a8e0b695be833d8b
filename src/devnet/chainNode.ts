// The two JSON-RPC nodes the devnet can run its chain on: Hardhat's (the default) and Anvil, an
// independent implementation. Everything above this module sees one shape and standard JSON-RPC.
import { startAnvilNode } from "./anvilNode.ts";
import { startHardhatNode } from "./hardhatNode.ts";
import type { ChildProcess } from "node:child_process";

export const CHAIN_NODE_KINDS = ["hardhat", "anvil"] as const;
export type ChainNodeKind = (typeof CHAIN_NODE_KINDS)[number];

export type ChainNode = { readonly url: string; readonly process: ChildProcess; stop(): Promise<void> };

export type ChainNodeOptions = {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Genesis time (ISO date, whole seconds); the same date gives the same genesis block. */
  genesisDate?: string;
};

export function startChainNode(kind: ChainNodeKind, options: ChainNodeOptions): Promise<ChainNode> {
  return kind === "anvil" ? startAnvilNode(options) : startHardhatNode(options);
}

export function isChainNodeKind(value: string): value is ChainNodeKind {
  return (CHAIN_NODE_KINDS as readonly string[]).includes(value);
}
