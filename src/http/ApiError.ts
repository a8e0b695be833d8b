// An error a client caused or must know about, with the HTTP status it maps to. Route handlers
// throw these; the error middleware turns them into `{ error: { code, message, details } }`.
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
