// Rebuilds a recorded devnet chain on a fresh node started at the journal's genesis date: every
// call again, in order, each mined block's timestamp pinned to the recorded one, then checks that
// the head and the last block's hash match the record (a hash covers the whole chain before it).
import { ChainJournalError } from "./ChainJournalError.ts";
import type { ChainJournalContents, JournalCall } from "./chainJournal.ts";
import { awaitTransactionMined, blockNumber, blockSummary, callJsonRpc, nodeClock, postJsonRpc } from "./jsonRpc.ts";

export type ReplayResult = { head: number; calls: number };

export async function replayChainJournal(nodeUrl: string, journal: ChainJournalContents): Promise<ReplayResult> {
  const genesis = await blockSummary(nodeUrl, 0);
  if (genesis.hash !== journal.genesis.hash) {
    throw diverged(`genesis block is ${genesis.hash}, the journal recorded ${journal.genesis.hash}`, { block: 0 });
  }
  for (const call of journal.calls) await replayCall(nodeUrl, call);
  await catchUpWithWallClock(nodeUrl);
  return { head: await blockNumber(nodeUrl), calls: journal.calls.length };
}

async function replayCall(nodeUrl: string, call: JournalCall): Promise<void> {
  if (call.blocks) {
    const pinned = await postJsonRpc(nodeUrl, "evm_setNextBlockTimestamp", [call.blocks.firstTimestamp]);
    if (pinned.error) throw diverged(`block ${call.blocks.first} cannot get its recorded timestamp: ${pinned.error.message}`, { seq: call.seq, block: call.blocks.first });
  }
  const response = await postJsonRpc(nodeUrl, call.method, call.params);
  await awaitTransactionMined(nodeUrl, call.method, response);
  if (Boolean(response.error) === call.ok) {
    const outcome = response.error ? `failed (${response.error.message})` : "succeeded";
    throw diverged(`call #${call.seq} (${call.method}) ${outcome}, unlike when it was recorded`, { seq: call.seq });
  }
  const head = await blockNumber(nodeUrl);
  if (head !== call.head) {
    throw diverged(`call #${call.seq} (${call.method}) left the head at block ${head}, the journal recorded ${call.head}`, { seq: call.seq, block: head });
  }
  if (call.blocks) {
    const { hash } = await blockSummary(nodeUrl, call.blocks.last);
    if (hash !== call.blocks.lastHash) {
      throw diverged(`block ${call.blocks.last} replayed as ${hash}, the journal recorded ${call.blocks.lastHash}`, { seq: call.seq, block: call.blocks.last });
    }
  }
}

/**
 * Pinned timestamps leave the node's clock at the recorded time; move it forward to now so the
 * resumed chain keeps real time. A clock already ahead of the wall (time travelled by a test) stays.
 */
async function catchUpWithWallClock(nodeUrl: string): Promise<void> {
  const behind = Math.floor(Date.now() / 1000) - (await nodeClock(nodeUrl));
  if (behind > 0) await callJsonRpc(nodeUrl, "evm_increaseTime", [behind]);
}

function diverged(message: string, details: Record<string, unknown>): ChainJournalError {
  return new ChainJournalError("CHAIN_REPLAY_DIVERGED", `the chain journal does not replay: ${message}`, details);
}
