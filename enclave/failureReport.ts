// A failure the enclave can prove becomes the task's result. Once the SMS released the task's
// secrets to this attested enclave, the workerpool has done its part; if the app then fails (exits
// non-zero, runs out of time or memory, writes too much) or its inputs turn out unusable (a bundle
// that does not read, a dataset that does not match its checksum or key), the enclave seals a
// failure report to the requester and signs it like any result. It settles with pushResult: the
// pool is paid for the attempt and nobody gets the stake, so failing on purpose profits no one.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { EnclaveError, EnclaveErrorCode } from "./EnclaveError.ts";
import { FAILURE_REPORT_FILE, FAILURE_REPORT_FORMAT, type FailureReportDocument } from "../src/wire/results/failureReport.ts";

export { FAILURE_REPORT_FILE };

/** Codes that mean the app or its inputs failed, not the workerpool's machine. */
const REPORTABLE: ReadonlySet<EnclaveErrorCode> = new Set([
  "APP_FAILED",
  "APP_TIMEOUT",
  "MEMORY_EXCEEDED",
  "OUTPUT_TOO_LARGE",
  "BAD_OUTPUT",
  "BAD_BUNDLE",
  "BAD_DATASET_CHECKSUM",
  "DATASET_DECRYPT_FAILED",
  "STAGE_INPUT_UNREADABLE",
]);

/** Detail fields safe to show: numbers and names the runtime chose, never text from the app or the data. */
const SAFE_DETAILS = ["exitCode", "signal", "durationMs", "timeLimitMs", "memoryBytes", "maxOutputBytes", "maxOutputFiles", "reason"] as const;

export type FailureReport = FailureReportDocument & { code: EnclaveErrorCode };

/**
 * Whether `error` is the app's or its inputs' failure. An app that could not even be started
 * (no exit code, no signal) failed on the worker's side, and is retried instead.
 */
export function isReportableFailure(error: EnclaveError): boolean {
  if (!REPORTABLE.has(error.code)) return false;
  if (error.code !== "APP_FAILED") return true;
  const details = error.details ?? {};
  return typeof details.exitCode === "number" || typeof details.signal === "string";
}

export function failureReport(error: EnclaveError, task: { taskId: string; attempt: number }): FailureReport {
  const details: Record<string, string | number | null> = {};
  for (const key of SAFE_DETAILS) {
    const value = error.details?.[key];
    if (typeof value === "number" || typeof value === "string" || value === null) details[key] = value;
  }
  return { format: FAILURE_REPORT_FORMAT, code: error.code, message: error.message, details, taskId: task.taskId, attempt: task.attempt };
}

/** Writes the report as the only file of a fresh output directory, ready to be sealed as a result. */
export async function writeFailureReport(directory: string, report: FailureReport): Promise<void> {
  await mkdir(directory, { mode: 0o700 });
  await writeFile(join(directory, FAILURE_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
}
