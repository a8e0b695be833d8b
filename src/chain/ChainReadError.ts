// The chain could not be read: the node is down, or answered something other than a revert. One
// class for every reader, so each service answers it the same way: 503 CHAIN_UNAVAILABLE, retry.
import { ContinuumError } from "../core/ContinuumError.ts";

export class ChainReadError extends ContinuumError<"CHAIN_UNAVAILABLE"> {
  /** `what` names the value that could not be read ("the owner of app 3"); the node's own error is the cause. */
  constructor(what: string, cause?: unknown) {
    super("CHAIN_UNAVAILABLE", `cannot read ${what} from the chain right now; retry shortly`, { what }, { cause });
  }
}
