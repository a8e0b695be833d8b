// zod validators for the JSON fields of the SMS API, each with a message saying what a valid
// value looks like (and the OpenAPI document its schema), and the conversion of a failed parse
// into INVALID_REQUEST naming every bad field.
import { z } from "zod";
import { checksummedAddress } from "../../src/wire/eip712/checksummedAddress.ts";
import { SmsError } from "../SmsError.ts";

const HEX_TEXT = /^0x[0-9a-fA-F]*$/;
const UINT_TEXT = /^(0|[1-9][0-9]{0,77})$/;
const MAX_UINT256 = (1n << 256n) - 1n;

/** A uint256 as a JSON number (safe integer) or a decimal string, as a bigint. */
export const uint256 = z
  .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().regex(UINT_TEXT)], {
    error: "must be a non-negative integer (a number or a decimal string)",
  })
  .transform((value) => BigInt(value))
  .refine((value) => value <= MAX_UINT256, { error: "must fit in uint256" })
  .meta({ description: "a uint256 as a JSON number (safe integer) or a decimal string" });

/** A positive safe integer as a JSON number or a decimal string. */
export const safeCount = z
  .union([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.string().regex(/^[1-9][0-9]{0,15}$/)], {
    error: "must be a positive integer",
  })
  .transform((value) => Number(value))
  .refine((value) => Number.isSafeInteger(value), { error: "must be a safe integer" })
  .meta({ description: "a positive integer as a JSON number or a decimal string" });

export const address = z
  .string({ error: "must be an address (0x + 40 hex digits)" })
  .transform((value, context) => {
    // getAddress refuses a mixed-case address whose checksum is wrong: one keccak judges and converts.
    const checksummed = /^0x[0-9a-fA-F]{40}$/.test(value) ? checksummedAddress(value) : undefined;
    if (checksummed === undefined) {
      context.addIssue({ code: "custom", message: "must be an address (0x + 40 hex digits, valid checksum if mixed case)" });
      return z.NEVER;
    }
    return checksummed;
  })
  .meta({ description: "an address: 0x + 40 hex digits, with a valid EIP-55 checksum if mixed case", pattern: "^0x[0-9a-fA-F]{40}$" });

export const bytes32 = z
  .string({ error: "must be 32 bytes of hex" })
  .regex(/^0x[0-9a-fA-F]{64}$/, { error: "must be 0x followed by 64 hex digits" })
  .transform((value) => value.toLowerCase());

export const signature65 = z
  .string({ error: "must be a 65-byte signature" })
  .regex(/^0x[0-9a-fA-F]{130}$/, { error: "must be a 65-byte signature: 0x followed by 130 hex digits" });

/** Hex-encoded bytes, 0x-prefixed, between `min` and `max` bytes long, as a Uint8Array. */
export function hexBytes(min: number, max: number) {
  const error = `must be 0x-prefixed hex of ${min} to ${max} bytes`;
  return z
    .string({ error })
    .refine((value) => value.length % 2 === 0 && value.length >= 2 + 2 * min && value.length <= 2 + 2 * max && HEX_TEXT.test(value), { error })
    .transform((value) => Uint8Array.from(Buffer.from(value.slice(2), "hex")))
    .meta({ description: `0x-prefixed hex of ${min} to ${max} bytes`, pattern: "^0x([0-9a-fA-F]{2})*$", minLength: 2 + 2 * min, maxLength: 2 + 2 * max });
}

/** Parses a request body, or throws INVALID_REQUEST listing each problem (never the values). */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (body === undefined) {
    throw new SmsError("INVALID_REQUEST", "expected a JSON body (Content-Type: application/json)");
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path} ${issue.message}`).join("; ");
  throw new SmsError("INVALID_REQUEST", `invalid request: ${summary}`, { issues });
}
