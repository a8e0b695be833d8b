// Turns a failed read or write of an attestation interface into a QuoteProviderError: a missing
// path means the interface is not there (DEVICE_MISSING), anything else is a DEVICE_ERROR.
import { QuoteProviderError } from "./QuoteProviderError.ts";

const MISSING = new Set(["ENOENT", "ENOTDIR"]);

export function deviceFailure(error: unknown, operation: string, path: string): QuoteProviderError {
  if (error instanceof QuoteProviderError) return error;
  const errno = (error as NodeJS.ErrnoException).code;
  const details = { operation, path, ...(errno ? { errno } : {}) };
  if (errno !== undefined && MISSING.has(errno)) {
    return new QuoteProviderError("DEVICE_MISSING", `${path} does not exist`, details, { cause: error });
  }
  return new QuoteProviderError("DEVICE_ERROR", `${operation} ${path} failed${errno ? ` (${errno})` : ""}`, details, { cause: error });
}

/** The text of a pseudo-file attribute: up to its first newline or NUL, trimmed. */
export function attributeText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("utf8").split(/[\n\0]/)[0]!.trim();
}

export function checkReportData(reportData: Uint8Array): void {
  if (!(reportData instanceof Uint8Array) || reportData.length !== 64) {
    throw new QuoteProviderError("INVALID_REPORT_DATA", "report data must be exactly 64 bytes", {
      length: reportData instanceof Uint8Array ? reportData.length : undefined,
    });
  }
}
