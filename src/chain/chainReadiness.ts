// Readiness of the chain connection: the node answers eth_blockNumber.
import type { Provider } from "ethers";
import type { ReadinessCheck } from "../core/readinessCheck.ts";

export function chainReachable(provider: Provider): ReadinessCheck {
  return {
    name: "chain",
    check: async () => {
      try {
        await provider.getBlockNumber();
        return undefined;
      } catch (error) {
        return `the chain node does not answer: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}
