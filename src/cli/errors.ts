// The CLI's error vocabulary: CliError for failures the user can act on, UsageError for a command
// line that cannot be run as typed (exit code 2), and the conversion of anything thrown into one.
import { ContinuumError, isContinuumError, type ErrorDetails } from "../core/ContinuumError.ts";
import { toJson } from "../core/bigintJson.ts";

export class CliError extends ContinuumError {}

/** A command line that cannot run as typed: a bad argument, a missing option or password. */
export class UsageError extends CliError {}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** System error codes from Node's fs calls, turned into messages a user can act on. */
const FILE_ERRORS: Record<string, { code: string; message: string }> = {
  ENOENT: { code: "FILE_NOT_FOUND", message: "No such file or directory" },
  EACCES: { code: "FILE_ACCESS_DENIED", message: "Permission denied" },
  EPERM: { code: "FILE_ACCESS_DENIED", message: "Operation not permitted" },
  EISDIR: { code: "NOT_A_FILE", message: "Expected a file, found a directory" },
  ENOTDIR: { code: "FILE_NOT_FOUND", message: "A parent of the path is not a directory" },
  EEXIST: { code: "FILE_EXISTS", message: "The file already exists" },
  ENOSPC: { code: "DISK_FULL", message: "No space left on the device" },
};

/** Any thrown value as a ContinuumError, keeping typed errors as they are. */
export function toContinuumError(error: unknown): ContinuumError {
  if (isContinuumError(error)) return error;
  if (error instanceof Error && "code" in error && typeof error.code === "string") {
    const known = FILE_ERRORS[error.code];
    const path = "path" in error && typeof error.path === "string" ? error.path : undefined;
    if (known && path) return new CliError(known.code, `${known.message}: ${path}`, { path });
    if (known) return new CliError(known.code, known.message);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError("INTERNAL", `Unexpected failure: ${firstLine(message)}`);
}

export function exitCodeOf(error: ContinuumError): number {
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}

/** One line for people: `error [CODE]: message`, naming the file involved when the message does not. */
export function formatErrorLine(error: ContinuumError): string {
  const path = pathOf(error.details);
  const message = firstLine(error.message).replace(/\.$/, "");
  const withPath = path && !message.includes(path) ? `${message} (${path})` : message;
  return `error [${error.code}]: ${withPath}`;
}

/** The JSON document printed with --json: `{ "error": { code, message, details } }`. */
export function formatErrorJson(error: ContinuumError): string {
  return toJson(error.toJSON());
}

function pathOf(details: ErrorDetails | undefined): string | undefined {
  return typeof details?.path === "string" ? details.path : undefined;
}

function firstLine(text: string): string {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  return lines.join(" ").slice(0, 1_000);
}
