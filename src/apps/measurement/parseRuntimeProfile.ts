// Reads a runtime profile document (as `continuum worker runtimes` prints it and workers report it
// to their scheduler), so a developer can measure an app for a workerpool's exact runtime.
import { z } from "zod";
import { RuntimeProfileError } from "../python/RuntimeProfileError.ts";
import { PYTHON_SANDBOX, WASI_ABI, WASI_SANDBOX, type RuntimeProfile } from "./runtimeProfile.ts";

const hash = z.string().regex(/^0x[0-9a-f]{64}$/, "a 0x-prefixed lowercase sha256") as unknown as z.ZodType<`0x${string}`>;

const profileSchema = z.discriminatedUnion("runtime", [
  z.strictObject({ runtime: z.literal("node") }),
  z.strictObject({ runtime: z.literal("wasi"), sandbox: z.literal(WASI_SANDBOX), abi: z.literal(WASI_ABI) }),
  z.strictObject({
    runtime: z.literal("python"),
    sandbox: z.literal(PYTHON_SANDBOX),
    interpreter: z.strictObject({
      implementation: z.string().min(1),
      version: z.string().min(1),
      executableSha256: hash,
      stdlibSha256: hash,
      librariesSha256: hash,
    }),
    packages: z.array(z.strictObject({ name: z.string().min(1), version: z.string().min(1), filesSha256: hash })),
  }),
]);

export function parseRuntimeProfile(json: unknown): RuntimeProfile {
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    throw new RuntimeProfileError("BAD_RUNTIME_PROFILE", "Not a runtime profile document.", {
      problems: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    });
  }
  return parsed.data as RuntimeProfile;
}
