// The base of every typed error in Continuum: a stable machine-readable `code`, a short
// human message, and optional details. Callers switch on `code`; people read `message`. A module
// names its codes once: `class StorageError extends ContinuumError<StorageErrorCode> {}`.

export type ErrorDetails = Record<string, unknown>;

/** The one error body of every Continuum API and of the CLI's `--json` failures. */
export type ErrorBody = { error: { code: string; message: string; details: ErrorDetails } };

export class ContinuumError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: ErrorDetails | undefined;

  constructor(code: Code, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  /** The JSON shape used by every HTTP API: `{ error: { code, message, details } }`, details `{}` when there are none. */
  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details ?? {} } };
  }
}

export function isContinuumError(value: unknown): value is ContinuumError {
  return value instanceof ContinuumError;
}
