// Typed errors of the devnet's DCAP authority and simulated quoting enclave: invalid inputs,
// unknown platforms, and stored state that is missing, already present or inconsistent.
import { ContinuumError } from "../../../core/ContinuumError.ts";

export type DevnetDcapErrorCode =
  | "INVALID_INPUT"
  | "UNKNOWN_PLATFORM"
  | "PLATFORM_EXISTS"
  | "STATE_EXISTS"
  | "STATE_NOT_FOUND"
  | "INVALID_STATE_FILE"
  /** The devnet collateral service cannot listen on its address. */
  | "COLLATERAL_SERVICE_FAILED";

export class DevnetDcapError extends ContinuumError<DevnetDcapErrorCode> {}
