// The failure report: what a result archive holds instead of the app's output when the app or its
// inputs failed after the SMS released the task's secrets. The enclave writes it; the requester's
// tools read it back from the decrypted archive.

/** The archive's only file when the task failed. */
export const FAILURE_REPORT_FILE = "continuum-failure.json";
export const FAILURE_REPORT_FORMAT = "continuum-failure/1";

export type FailureReportDocument = {
  format: typeof FAILURE_REPORT_FORMAT;
  /** The enclave runtime's error code, e.g. APP_FAILED, APP_TIMEOUT, BAD_DATASET_CHECKSUM. */
  code: string;
  message: string;
  /** Numbers and names the runtime chose (exit code, signal, limits), never the app's own text. */
  details: Record<string, string | number | null>;
  taskId: string;
  attempt: number;
};

/** The failure report of a decrypted result archive's files, or undefined when the result is the app's output. */
export function failureReportOf(files: readonly { path: string; content: Uint8Array }[]): FailureReportDocument | undefined {
  if (files.length !== 1 || files[0]!.path !== FAILURE_REPORT_FILE) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(files[0]!.content).toString("utf8"));
  } catch {
    return undefined;
  }
  const report = parsed as Partial<FailureReportDocument> | null;
  if (report?.format !== FAILURE_REPORT_FORMAT || typeof report.code !== "string" || typeof report.message !== "string") return undefined;
  return {
    format: FAILURE_REPORT_FORMAT,
    code: report.code,
    message: report.message,
    details: typeof report.details === "object" && report.details !== null ? report.details : {},
    taskId: String(report.taskId ?? ""),
    attempt: Number(report.attempt ?? 0),
  };
}
