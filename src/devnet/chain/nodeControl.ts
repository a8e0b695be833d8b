// Control of a development node, Hardhat's or Anvil: snapshots and reverts, mining, automine and
// time travel. With the journal's method lists (chainRpcMethods.ts) this is the one place that
// names JSON-RPC methods beyond the standard ones; tests and tools reach those through it, so
// whatever runs on one node runs on the other.
import { ContinuumError } from "../../core/ContinuumError.ts";
import type { ChainNodeKind } from "../chainNode.ts";

/** What sends a JSON-RPC call: an ethers JsonRpcProvider (or Hardhat's) has this shape. */
export type RpcSender = { send(method: string, params: unknown[]): Promise<unknown> };

/** The methods each node names its controls by; both take the evm_* names Ganache started. */
const METHODS: Record<ChainNodeKind, { mineMany: string }> = {
  hardhat: { mineMany: "hardhat_mine" },
  anvil: { mineMany: "anvil_mine" },
};

export class NodeControl {
  readonly kind: ChainNodeKind;
  readonly #rpc: RpcSender;

  private constructor(rpc: RpcSender, kind: ChainNodeKind) {
    this.#rpc = rpc;
    this.kind = kind;
  }

  /** Recognises the node from `web3_clientVersion`; a node that is neither is refused (NODE_NOT_CONTROLLABLE). */
  static async of(rpc: RpcSender): Promise<NodeControl> {
    const version = String(await rpc.send("web3_clientVersion", [])).toLowerCase();
    if (version.startsWith("anvil")) return new NodeControl(rpc, "anvil");
    if (version.includes("hardhat") || version.includes("edr")) return new NodeControl(rpc, "hardhat");
    throw new ContinuumError("NODE_NOT_CONTROLLABLE", `the node "${version}" is neither Hardhat's nor Anvil: it offers no snapshots or time travel`, { version });
  }

  /** Snapshots the chain; `revert` returns to it (once: the snapshot is used up). */
  async snapshot(): Promise<string> {
    return String(await this.#rpc.send("evm_snapshot", []));
  }

  /** Drops every block after the snapshot, as a reorganization would. */
  async revert(snapshot: string): Promise<void> {
    const reverted = await this.#rpc.send("evm_revert", [snapshot]);
    if (reverted !== true) throw new ContinuumError("SNAPSHOT_UNKNOWN", `the node has no snapshot ${snapshot} to revert to`, { snapshot });
  }

  /** Mines `blocks` empty blocks (default 1). */
  async mine(blocks = 1): Promise<void> {
    if (blocks === 1) await this.#rpc.send("evm_mine", []);
    else if (blocks > 1) await this.#rpc.send(METHODS[this.kind].mineMany, [`0x${blocks.toString(16)}`]);
  }

  /** Moves the clock of the next blocks forward by `seconds`. */
  async increaseTime(seconds: number): Promise<void> {
    await this.#rpc.send("evm_increaseTime", [seconds]);
  }

  /** The next block's timestamp (unix seconds). */
  async setNextBlockTimestamp(timestamp: number): Promise<void> {
    await this.#rpc.send("evm_setNextBlockTimestamp", [timestamp]);
  }

  /** With automine off, transactions wait in the pool until `mine`. */
  async setAutomine(enabled: boolean): Promise<void> {
    await this.#rpc.send("evm_setAutomine", [enabled]);
  }
}
