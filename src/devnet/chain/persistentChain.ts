// The devnet's chain that outlives the process: a Hardhat or Anvil node on an internal port, rebuilt from
// <chainDir>/journal.ndjson when one exists, behind a recording proxy on the public port. The
// public port opens only once the replay matched the record, so no client sees a half-built chain.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../core/logger.ts";
import { ContinuumError } from "../../core/ContinuumError.ts";
import { startChainNode, type ChainNode, type ChainNodeKind } from "../chainNode.ts";
import { requirePortFree } from "../portCheck.ts";
import { ChainJournalWriter, readChainJournal } from "./chainJournal.ts";
import { ChainRecorder } from "./chainRecorder.ts";
import { blockSummary, callJsonRpc } from "./jsonRpc.ts";
import { startRecordingProxy } from "./recordingProxy.ts";
import { replayChainJournal } from "./replayChainJournal.ts";

export const CHAIN_JOURNAL_FILE = "journal.ndjson";

export type PersistentChainOptions = {
  chainDir: string;
  host: string;
  port: number;
  /** The node to run (default hardhat); a journal is resumed only on the node that recorded it. */
  node?: ChainNodeKind;
  logger?: Logger;
};

export type PersistentChain = {
  /** The public JSON-RPC URL (the recording proxy). */
  readonly url: string;
  /** The head block the journal rebuilt, or undefined for a fresh chain. */
  readonly resumedAt: number | undefined;
  readonly journalPath: string;
  close(): Promise<void>;
};

export async function startPersistentChain(options: PersistentChainOptions): Promise<PersistentChain> {
  const kind = options.node ?? "hardhat";
  await requirePortFree(options.host, options.port, "The devnet's JSON-RPC endpoint");
  const journalPath = join(options.chainDir, CHAIN_JOURNAL_FILE);
  const recorded = await readChainJournal(journalPath);
  const recordedOn = recorded?.genesis.node ?? "hardhat";
  if (recorded && recordedOn !== kind) {
    throw new ContinuumError(
      "CHAIN_NODE_MISMATCH",
      `the chain in ${options.chainDir} was recorded on ${recordedOn} and replays only there: start with --chain ${recordedOn}, or use another data directory for ${kind}`,
      { recordedOn, requested: kind, chainDir: options.chainDir },
    );
  }
  const genesisDate = recorded?.genesis.initialDate ?? new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  const node = await startChainNode(kind, { host: options.host, port: 0, genesisDate });
  let journal: ChainJournalWriter | undefined;
  try {
    let resumedAt: number | undefined;
    if (recorded) {
      resumedAt = (await replayChainJournal(node.url, recorded)).head;
      journal = await ChainJournalWriter.open(journalPath, recorded.calls.length);
    } else {
      journal = await createJournal(journalPath, node, kind, genesisDate);
    }
    const recorder = new ChainRecorder({ nodeUrl: node.url, journal, logger: options.logger });
    const proxy = await startRecordingProxy({ recorder, nodeUrl: node.url, host: options.host, port: options.port, logger: options.logger });
    const openJournal = journal;
    return {
      url: proxy.url,
      resumedAt,
      journalPath,
      close: async () => {
        await proxy.close();
        await recorder.drain();
        await openJournal.close();
        await node.stop();
      },
    };
  } catch (error) {
    await journal?.close();
    await node.stop();
    throw error;
  }
}

/** A journal for a fresh chain; a file that never got past its header line holds nothing to keep. */
async function createJournal(path: string, node: ChainNode, kind: ChainNodeKind, initialDate: string): Promise<ChainJournalWriter> {
  await rm(path, { force: true });
  const genesis = await blockSummary(node.url, 0);
  const chainId = Number(await callJsonRpc<string>(node.url, "eth_chainId"));
  return ChainJournalWriter.create(path, { kind: "genesis", version: 1, initialDate, chainId, hash: genesis.hash, node: kind });
}
