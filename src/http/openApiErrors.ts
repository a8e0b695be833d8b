// The one error body of Continuum's HTTP APIs, `{ error: { code, message, details } }`, as OpenAPI 3.1:
// the schema each document registers as components.schemas.Error, and the error responses of an
// operation, generated from the codes it lists and the service's code -> status table.
import { STATUS_CODES } from "node:http";
import type { ErrorStatusTable } from "./shellErrors.ts";

export const ERROR_SCHEMA_REF = "#/components/schemas/Error";

export const ERROR_SCHEMA = {
  type: "object",
  description: "The one error format of every Continuum API.",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details"],
      properties: {
        code: { type: "string", description: "Stable machine-readable code, e.g. ORDER_EXPIRED; see x-error-codes." },
        message: { type: "string", description: "What went wrong and what to do about it." },
        details: { type: "object", additionalProperties: true, description: "Facts about the failure; {} when there is nothing to add." },
      },
    },
  },
} as const;

const RETRY_AFTER = { "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } } };

/** The error responses answering `codes`, one per status, each listing its codes in x-error-codes. */
export function errorResponses(codes: Iterable<string>, errorStatus: ErrorStatusTable, where: string): Record<string, Record<string, unknown>> {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    const status = errorStatus[code];
    if (status === undefined) throw new Error(`${where} lists error ${code}, which the service's table does not map to a status`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Record<string, unknown>> = {};
  for (const [status, listed] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `${STATUS_CODES[status] ?? "Error"}: error.code is one of ${listed.join(", ")}`,
      content: { "application/json": { schema: { $ref: ERROR_SCHEMA_REF } } },
      ...(status === 429 ? { headers: RETRY_AFTER } : {}),
      "x-error-codes": listed,
    };
  }
  return responses;
}
