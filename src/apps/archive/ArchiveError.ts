// Typed errors of the deterministic directory archive: one class whose stable `code` says why an
// archive could not be made or was refused, so callers never parse messages.
import { ContinuumError } from "../../core/ContinuumError.ts";

export type ArchiveErrorCode =
  | "BAD_ARCHIVE"
  | "ARCHIVE_PATH_REFUSED"
  | "ARCHIVE_SYMLINK"
  | "ARCHIVE_UNSUPPORTED_ENTRY"
  | "ARCHIVE_TOO_LARGE"
  | "ARCHIVE_TARGET_NOT_EMPTY"
  | "ARCHIVE_SOURCE_UNREADABLE";

export class ArchiveError extends ContinuumError<ArchiveErrorCode> {}
