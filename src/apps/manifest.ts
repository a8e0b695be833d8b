// The app manifest, `continuum.json` at the root of a bundle: what the app is, how to start it and
// what it needs. Validated here once, so the CLI and the enclave runtime read the same rules.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { archivePathProblem } from "./archive/archivePath.ts";
import { BundleError } from "./BundleError.ts";
import { APP_RUNTIME_NAMES, APP_RUNTIMES } from "./runtimes.ts";

export const MANIFEST_FILE = "continuum.json";
export const MIN_MEMORY_MB = 64;

const NAME = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;
const SEMVER = /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

const limitsSchema = z.strictObject({
  /** Memory the app needs, in MiB; workers that cannot give it refuse the task. */
  memoryMb: z.int().min(MIN_MEMORY_MB).max(1024 * 1024).optional(),
  /** Largest output the app will write, in MiB; a worker's own ceiling may be lower. */
  outputMb: z.int().min(1).max(1024 * 1024).optional(),
});

export const appManifestSchema = z
  .strictObject({
    name: z.string().regex(NAME, "lowercase letters, digits, '.', '_' or '-', at most 64 characters"),
    version: z.string().regex(SEMVER, "a semantic version such as 1.0.0"),
    description: z.string().min(1).max(2000),
    runtime: z.enum(APP_RUNTIME_NAMES),
    entrypoint: z.string().superRefine((path, context) => {
      const problem = archivePathProblem(path);
      if (problem !== undefined) context.addIssue({ code: "custom", message: `entrypoint: ${problem}` });
    }),
    limits: limitsSchema.optional(),
  })
  .superRefine((manifest, context) => {
    const extensions: readonly string[] = APP_RUNTIMES[manifest.runtime].entrypointExtensions;
    if (!extensions.some((extension) => manifest.entrypoint.endsWith(extension))) {
      context.addIssue({
        code: "custom",
        path: ["entrypoint"],
        message: `the ${manifest.runtime} runtime runs files ending in ${extensions.join(", ")}`,
      });
    }
  });

export type AppManifest = z.infer<typeof appManifestSchema>;
export type AppLimits = NonNullable<AppManifest["limits"]>;

/** Parses manifest bytes or text; throws BundleError("BAD_MANIFEST") with every problem listed. */
export function parseManifest(source: Uint8Array | string): AppManifest {
  const text = typeof source === "string" ? source : Buffer.from(source).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new BundleError("BAD_MANIFEST", `${MANIFEST_FILE} is not valid JSON.`, undefined, { cause });
  }
  const parsed = appManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    throw new BundleError("BAD_MANIFEST", `${MANIFEST_FILE} is invalid.`, { problems });
  }
  return parsed.data;
}

/** Reads and validates `<directory>/continuum.json`. */
export async function readManifest(directory: string): Promise<AppManifest> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(directory, MANIFEST_FILE));
  } catch (cause) {
    throw new BundleError("MANIFEST_NOT_FOUND", `The bundle has no readable ${MANIFEST_FILE}.`, { directory }, { cause });
  }
  return parseManifest(bytes);
}
