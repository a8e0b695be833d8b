// What the matcher reads from the chain: an order's consumed volume, a workerpool's reputation
// score and the chain's time. One small interface, implemented over the Continuum contract.
import { Contract, type Provider } from "ethers";
import { loadArtifact } from "../chain/artifacts.ts";

export type MatcherChain = {
  /** Volume of an order already used by deals; CANCELLED once cancelled. */
  consumed(orderHash: string): Promise<bigint>;
  /** Reputation score of a workerpool, in basis points. */
  reputationOf(workerpool: bigint): Promise<bigint>;
  /** Timestamp of the latest block, in seconds: the matcher's clock for expiries. */
  latestTimestamp(): Promise<bigint>;
};

export function continuumMatcherChain(provider: Provider, continuum: string): MatcherChain {
  const contract = new Contract(continuum, loadArtifact("Continuum").abi as never, provider);
  return {
    consumed: async (orderHash) => (await contract.getFunction("consumed")(orderHash)) as bigint,
    reputationOf: async (workerpool) => ((await contract.getFunction("reputationOf")(workerpool)) as { score: bigint }).score,
    latestTimestamp: async () => {
      const block = await provider.getBlock("latest");
      if (!block) throw new Error("the node returned no latest block");
      return BigInt(block.timestamp);
    },
  };
}
