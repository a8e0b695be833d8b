// The refusals the HTTP shell answers by itself, around every service's routes, with their
// statuses; and the shape of the one code -> status table each service keeps for its own errors.
import { ApiError } from "./ApiError.ts";
import type { ErrorDetails } from "../core/ContinuumError.ts";

/** A service's error codes mapped to HTTP statuses; the error middleware and the OpenAPI document both read it. */
export type ErrorStatusTable<Code extends string = string> = Readonly<Record<Code, number>>;

export const SHELL_ERROR_STATUS = {
  /** The request is not valid HTTP, ended early, or has a path express cannot decode. */
  BAD_REQUEST: 400,
  /** The body is not valid JSON. */
  MALFORMED_JSON: 400,
  /** The body cannot be decoded with its Content-Encoding (a corrupt gzip, deflate, br or zstd stream). */
  MALFORMED_BODY: 400,
  INVALID_LIMIT: 400,
  INVALID_CURSOR: 400,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  /** Headers or body arrived slower than the server's timeouts allow. */
  REQUEST_TIMEOUT: 408,
  BODY_TOO_LARGE: 413,
  /** A body that is not JSON, a charset other than UTF-8, or an unknown Content-Encoding. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_ERROR: 500,
} as const satisfies ErrorStatusTable;

export type ShellErrorCode = keyof typeof SHELL_ERROR_STATUS;

/** Codes the shell may answer on any operation; the others belong to paths (404, 405) or bodies. */
export const EVERY_OPERATION_CODES: readonly ShellErrorCode[] = ["REQUEST_TIMEOUT", "HEADERS_TOO_LARGE", "INTERNAL_ERROR"];
/** Codes the shell may answer on any operation whose method carries a body (POST, PUT, PATCH). */
export const BODY_CODES: readonly ShellErrorCode[] = ["MALFORMED_JSON", "MALFORMED_BODY", "BAD_REQUEST", "BODY_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"];

/** One of the shell's own refusals, with the status its table gives it. */
export function shellError(code: ShellErrorCode, message: string, details?: ErrorDetails): ApiError {
  return new ApiError(SHELL_ERROR_STATUS[code], code, message, details);
}

/**
 * The shell's table and a service's, as one; a code both list must have one status, or the
 * service would answer it two ways (a programming error, thrown at startup).
 */
export function mergeErrorTables(service: ErrorStatusTable): ErrorStatusTable {
  for (const [code, status] of Object.entries(service)) {
    const shell = (SHELL_ERROR_STATUS as ErrorStatusTable)[code];
    if (shell !== undefined && shell !== status) {
      throw new Error(`error code ${code} is ${shell} in the HTTP shell but ${status} in the service's table`);
    }
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`error code ${code} maps to ${status}, not an error status`);
  }
  return { ...SHELL_ERROR_STATUS, ...service };
}
