// Builds a ChainIndexer on the in-process Hardhat chain of a fixture, with fast test defaults,
// and records what it emits.
import type { DataSource } from "typeorm";
import { ChainIndexer, type AppliedEvent, type ChainIndexerOptions } from "../../../../src/indexer/index.ts";
import type { Fixture } from "../../../helpers/protocolFixture.ts";

export type RecordingIndexer = { indexer: ChainIndexer; applied: AppliedEvent[]; rewound: number[] };

export function newIndexer(
  f: Fixture,
  db: DataSource,
  options: Partial<Omit<ChainIndexerOptions, "provider" | "deployment" | "db">> = {},
): RecordingIndexer {
  const indexer = new ChainIndexer({
    provider: f.ethers.provider,
    deployment: f.deployment,
    db,
    batchBlocks: 1_000,
    pollIntervalMs: 20,
    ...options,
  });
  const recording: RecordingIndexer = { indexer, applied: [], rewound: [] };
  indexer.on("applied", (events) => recording.applied.push(...events));
  indexer.on("rewound", (block) => recording.rewound.push(block));
  return recording;
}
