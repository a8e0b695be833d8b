// Typed errors raised by the storage module: one class whose stable `code` names the failure, so
// the gateway and other callers map them to responses without parsing messages.
import { ContinuumError } from "../core/ContinuumError.ts";

export type StorageErrorCode =
  | "BAD_CID"
  | "BAD_PEER_ADDRESS"
  | "BAD_STORAGE_CONFIG"
  | "CONTENT_NOT_FOUND"
  | "CONTENT_TOO_LARGE"
  /** Bytes from a gateway that do not hash to the CID asked for. */
  | "CONTENT_MISMATCH"
  | "NOT_A_FILE"
  | "FILE_NOT_READABLE"
  | "PEER_UNREACHABLE"
  | "GATEWAY_LISTEN_FAILED"
  | "STORAGE_STOPPED"
  | "STORAGE_UNAVAILABLE"
  | "STORAGE_FAILED";

export class StorageError extends ContinuumError<StorageErrorCode> {}
