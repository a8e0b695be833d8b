// Translates what Helia and its UnixFS exporter throw while reading into StorageErrors, keeping the
// original as `cause` so logs still show what the node reported.
import { StorageError } from "./errors.ts";

/** Errors meaning the CID resolves, but not to a UnixFS file (a directory, dag-cbor, ...). */
const NOT_A_FILE_ERRORS = new Set(["NotAFileError", "NoContentError", "NotUnixFSError", "NoResolverError"]);

export function heliaReadError(error: unknown, cid: string, signal: AbortSignal | undefined): StorageError {
  if (error instanceof StorageError) {
    return error;
  }
  const name = error instanceof Error ? error.name : "";
  if (name === "BlockNotFoundWhileOfflineError") {
    const message = "content is not stored on this node";
    return new StorageError("CONTENT_NOT_FOUND", message, { cid, offline: true }, { cause: error });
  }
  if (signal?.aborted === true || name === "LoadBlockFailedError") {
    return new StorageError(
      "CONTENT_NOT_FOUND",
      "content was not retrieved from connected peers in time",
      { cid, offline: false },
      { cause: error },
    );
  }
  if (NOT_A_FILE_ERRORS.has(name)) {
    return new StorageError("NOT_A_FILE", "the CID does not name a UnixFS file", { cid }, { cause: error });
  }
  return new StorageError("STORAGE_FAILED", "the IPFS node failed to read the content", { cid }, { cause: error });
}
