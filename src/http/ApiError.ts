// An HTTP-level error with its status: the shell's own refusals (see shellErrors.ts) and the
// explorer's pages. Services and their modules throw their own typed errors instead, which the
// error middleware answers with the status of the service's table.
import { ContinuumError, type ErrorDetails } from "../core/ContinuumError.ts";

export class ApiError extends ContinuumError {
  readonly status: number;

  constructor(status: number, code: string, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.status = status;
  }
}

export function badRequest(code: string, message: string, details?: ErrorDetails): ApiError {
  return new ApiError(400, code, message, details);
}

export function notFound(code: string, message: string, details?: ErrorDetails): ApiError {
  return new ApiError(404, code, message, details);
}
