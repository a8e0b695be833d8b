// Which runtime profile `continuum app` measures a bundle for: one a workerpool publishes
// (--runtime-profile: a scheduler's GET /v1/info answer, its runtime offers, or a profile
// document), or else this machine's own runtime as configured (runtimes.python), probed like a
// worker probes it.
import { readFile } from "node:fs/promises";
import type { AppManifest, RuntimeProfile } from "../../apps/index.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";

export async function profileForApp(context: CliContext, manifest: AppManifest, profileFile: string | undefined): Promise<RuntimeProfile | undefined> {
  const apps = await import("../../apps/index.ts");
  if (profileFile !== undefined) {
    const path = context.resolvePath(profileFile);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, "utf8"));
    } catch (cause) {
      throw new CliError("BAD_RUNTIME_PROFILE", `Cannot read a runtime profile from ${path}`, { path }, { cause });
    }
    const profile = profileDocuments(json)
      .map((entry) => apps.parseRuntimeProfile(entry))
      .find((entry) => entry.runtime === manifest.runtime);
    if (profile === undefined) {
      throw new CliError("BAD_RUNTIME_PROFILE", `${path} has no ${manifest.runtime} runtime profile`, { path, runtime: manifest.runtime });
    }
    return profile;
  }
  if (manifest.runtime !== "python") return undefined;
  const { python } = context.config.runtimes;
  context.output.status(`probing ${python.interpreter} and its declared packages ...`);
  const runtime = await apps.probePythonRuntime({ interpreter: python.interpreter, packages: apps.parsePackagePins(python.packages) });
  return runtime.profile;
}

/** The profile documents in a /v1/info answer ({runtimes: [offer]}), a list of offers or profiles, or one profile. */
function profileDocuments(json: unknown): unknown[] {
  const list = (json as { runtimes?: unknown } | null)?.runtimes ?? json;
  return (Array.isArray(list) ? list : [list]).map((entry) => (entry as { profileDocument?: unknown } | null)?.profileDocument ?? entry);
}
