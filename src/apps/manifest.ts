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

const bundlePath = z.string().superRefine((path, context) => {
  const problem = archivePathProblem(path);
  if (problem !== undefined) context.addIssue({ code: "custom", message: problem });
});

/** A distribution name as PEP 503 normalises it: lowercase, runs of '-', '_' and '.' become '-'. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

const PACKAGE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
const PACKAGE_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+!_-]{0,63}$/;

const pythonSchema = z.strictObject({
  /**
   * Native packages the app needs from the worker's declared package set, as exact pins
   * ({"numpy": "1.24.2"}). Pure-Python packages are vendored under vendor/ instead.
   */
  packages: z
    .record(z.string().regex(PACKAGE_NAME, "a Python distribution name"), z.string().regex(PACKAGE_VERSION, "an exact version"))
    .default({}),
});

/**
 * The same app packaged for a hardware TEE workerpool (see README, "Container images on real
 * TEEs"): the file in the bundle that fixes the hardware measurement. No worker of this project
 * runs such an image; the fields let the bundle carry it and `app bundle --target` measure it.
 */
const confidentialImageSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("sgx-mrenclave"),
    /** The Gramine-signed SIGSTRUCT (`gramine-sgx-sign` output, e.g. app.sig): MRENCLAVE is its ENCLAVEHASH. */
    sigstruct: bundlePath,
    /** The Gramine manifest it was signed from (app.manifest.sgx), kept for auditors. */
    manifest: bundlePath,
  }),
  z.strictObject({
    kind: z.literal("tdx-td"),
    /** JSON with the reference values {"mrtd","rtmr0","rtmr1","rtmr2","rtmr3"}, 48-byte hex each. */
    measurements: bundlePath,
    /** Where the confidential VM image lives (an OCI reference or a disk image digest), for people. */
    image: z.string().min(1).max(500).optional(),
  }),
]);

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
    python: pythonSchema.optional(),
    confidentialImage: confidentialImageSchema.optional(),
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
    if (manifest.python !== undefined && manifest.runtime !== "python") {
      context.addIssue({ code: "custom", path: ["python"], message: "only a python app may have a python section" });
    }
  });

export type AppManifest = z.infer<typeof appManifestSchema>;
export type AppLimits = NonNullable<AppManifest["limits"]>;
export type ConfidentialImage = NonNullable<AppManifest["confidentialImage"]>;

/** The files a manifest names besides itself; each must be a file of the bundle. */
export function manifestFiles(manifest: AppManifest): { field: string; path: string }[] {
  const files = [{ field: "entrypoint", path: manifest.entrypoint }];
  const image = manifest.confidentialImage;
  if (image?.kind === "sgx-mrenclave") {
    files.push({ field: "confidentialImage.sigstruct", path: image.sigstruct }, { field: "confidentialImage.manifest", path: image.manifest });
  }
  if (image?.kind === "tdx-td") files.push({ field: "confidentialImage.measurements", path: image.measurements });
  return files;
}

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
