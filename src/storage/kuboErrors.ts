// Translates kubo-rpc-client failures into StorageErrors: an unreachable API becomes
// STORAGE_UNAVAILABLE, Kubo's "not found" answers CONTENT_NOT_FOUND, anything else STORAGE_FAILED.
import { StorageError } from "./errors.ts";

/** Kubo's wording when a block is missing (offline) or a path does not resolve. */
const NOT_FOUND_MESSAGE = /not found|could not find|no link named/i;
/** Kubo's wording when `cat` or `files stat` meets something other than a file. */
const NOT_A_FILE_MESSAGE = /is a directory|not a file|unsupported|unrecognized node type/i;

export interface KuboErrorContext {
  apiUrl: string;
  cid?: string;
}

/** Node's fetch reports network failures as `TypeError("fetch failed")` with the socket error as cause. */
function connectionFailureCode(error: unknown): string | undefined {
  if (!(error instanceof TypeError) || error.message !== "fetch failed") {
    return undefined;
  }
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "FETCH_FAILED";
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** Kubo answered that it does not have the content (as opposed to failing to answer). */
export function isKuboNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === "HTTPError" && NOT_FOUND_MESSAGE.test(error.message);
}

export function kuboError(error: unknown, context: KuboErrorContext): StorageError {
  if (error instanceof StorageError) {
    return error;
  }
  const { apiUrl, cid } = context;
  const reason = connectionFailureCode(error);
  if (reason !== undefined) {
    const message = `the IPFS API at ${apiUrl} is unreachable`;
    return new StorageError("STORAGE_UNAVAILABLE", message, { apiUrl, reason }, { cause: error });
  }
  if (cid !== undefined && isKuboNotFound(error)) {
    return new StorageError("CONTENT_NOT_FOUND", "the IPFS node does not have the content", { cid }, { cause: error });
  }
  if (cid !== undefined && isAbort(error)) {
    return new StorageError("CONTENT_NOT_FOUND", "content was not retrieved in time", { cid }, { cause: error });
  }
  if (isAbort(error)) {
    const message = `the IPFS API at ${apiUrl} did not answer in time`;
    return new StorageError("STORAGE_UNAVAILABLE", message, { apiUrl }, { cause: error });
  }
  if (cid !== undefined && error instanceof Error && NOT_A_FILE_MESSAGE.test(error.message)) {
    return new StorageError("NOT_A_FILE", "the CID does not name a UnixFS file", { cid }, { cause: error });
  }
  const details = cid === undefined ? { apiUrl } : { apiUrl, cid };
  return new StorageError("STORAGE_FAILED", "the IPFS node reported an error", details, { cause: error });
}
