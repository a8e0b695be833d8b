// The one error body of Continuum's HTTP APIs, `{ error: { code, message, details } }`, as OpenAPI 3.1:
// the schema each document registers as components.schemas.Error, and responses that point to it.

export const ERROR_SCHEMA_REF = "#/components/schemas/Error";

export const ERROR_SCHEMA = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
    },
  },
} as const;

/** A response documented as the shared error body; list the codes it may carry. */
export function errorResponse(description: string, codes: readonly string[] = []): Record<string, unknown> {
  const text = codes.length > 0 ? `${description} (codes: ${codes.join(", ")})` : description;
  return { description: text, content: { "application/json": { schema: { $ref: ERROR_SCHEMA_REF } } } };
}
