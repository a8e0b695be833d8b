// Typed errors of the collateral service: collateral that cannot be served (malformed or
// contradictory sets) and requests it cannot answer, each with a stable code.
import { ContinuumError } from "../../../core/ContinuumError.ts";

export type PccsErrorCode =
  | "INVALID_COLLATERAL"
  | "CONFLICTING_COLLATERAL"
  | "INVALID_REQUEST"
  | "COLLATERAL_NOT_FOUND";

export class PccsError extends ContinuumError<PccsErrorCode> {}
