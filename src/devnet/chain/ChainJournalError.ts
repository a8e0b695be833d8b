// Typed errors of the devnet's persistent chain: a journal that cannot be read, a replay that does
// not rebuild the recorded chain, and node methods the journal cannot reproduce.
import { ContinuumError } from "../../core/ContinuumError.ts";

export type ChainJournalErrorCode =
  /** A journal line in the middle of the file is not a valid entry. */
  | "CHAIN_JOURNAL_CORRUPT"
  /** Replaying the journal produced a different block, head or outcome than recorded. */
  | "CHAIN_REPLAY_DIVERGED"
  /** The journal exists but state the devnet needs beside it (deployment file) is missing. */
  | "CHAIN_STATE_INCOMPLETE"
  /** A JSON-RPC method that would make the chain impossible to replay (reset, interval mining). */
  | "CHAIN_METHOD_REFUSED"
  /** The node answered a JSON-RPC call the journal depends on with an error or nonsense. */
  | "CHAIN_RPC_FAILED";

export class ChainJournalError extends ContinuumError<ChainJournalErrorCode> {}
