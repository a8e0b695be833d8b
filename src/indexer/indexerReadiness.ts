// Readiness of a service's ledger: its indexer is within `maxLagBlocks` of the confirmed head,
// so what the service answers from the ledger is at most that far behind the chain.
import type { ReadinessCheck } from "../core/readinessCheck.ts";
import type { ChainIndexer } from "./ChainIndexer.ts";

export function indexerNearHead(indexer: Pick<ChainIndexer, "lag">, maxLagBlocks: number): ReadinessCheck {
  return {
    name: "indexer",
    check: async () => {
      const lag = await indexer.lag();
      if (lag.blocks <= maxLagBlocks) return undefined;
      return `the indexer is ${lag.blocks} blocks behind the confirmed head (block ${lag.lastIndexed} of ${lag.confirmedHead}; at most ${maxLagBlocks} allowed)`;
    },
  };
}
