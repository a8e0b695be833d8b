// The JSON bodies workers send, validated once at the edge; a failure is INVALID_REQUEST with
// the offending fields in details.
import { z } from "zod";
import { SchedulerError } from "../SchedulerError.ts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 20-byte hex address");
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 32-byte hex string");
const errorCode = z.string().regex(/^[A-Z0-9_]{1,64}$/, "must be an upper-case error code");
const count = (max: number) => z.number().int().min(0).max(max);

export const registrationBody = z.strictObject({
  capabilities: z.strictObject({
    cpu: count(1024).min(1),
    memoryMb: count(16 * 1024 * 1024).min(1),
    tee: z.boolean(),
    gpu: count(64),
    /** The app runtimes offered; a worker that names none offers node alone. */
    runtimes: z
      .array(
        z.strictObject({
          runtime: z.enum(["node", "python", "wasi"]),
          /** The runtime profile's digest that app measurements bind to (not needed for node). */
          profile: bytes32.optional(),
          /** The profile itself, shown to developers so they can measure an app for this runtime. */
          profileDocument: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .max(8)
      .optional(),
  }),
});

export const authorizationBody = z.strictObject({ enclave: address });
export const progressBody = z.strictObject({ stage: z.string().min(1).max(64), message: z.string().max(500).optional() });
export const resultBody = z.strictObject({
  enclave: address,
  resultDigest: bytes32,
  resultCid: z.string().min(1).max(200),
  enclaveSignature: z.string().regex(/^0x([0-9a-fA-F]{2})*$/).max(1000),
  smsAttestation: z.string().regex(/^0x([0-9a-fA-F]{2})*$/).max(1000).optional(),
  failureCode: errorCode.optional(),
});
const failureVerdict = z.strictObject({
  cause: z.number().int().min(1).max(255),
  attempt: z.number().int().min(1).max(0xffffffff),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "must be a 65-byte signature"),
  signer: address,
});
export const failureBody = z.strictObject({
  code: errorCode,
  message: z.string().max(500).optional(),
  /** The SMS's TaskFailure verdict, relayed from its refusal. */
  verdict: failureVerdict.optional(),
});

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new SchedulerError("INVALID_REQUEST", "the request body is invalid", {
    issues: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  });
}

export function parseAddress(value: unknown, name: string): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new SchedulerError("INVALID_REQUEST", `${name} must be a 20-byte hex address`);
  }
  return value;
}

export function parseTaskId(value: unknown): string {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new SchedulerError("INVALID_REQUEST", "taskId must be a 32-byte hex string");
  }
  return value;
}
