// Whether a python runtime profile declares every native package, at the pinned version, that an
// app's manifest asks for (python.packages); throws PACKAGES_NOT_DECLARED naming what is missing.
import { normalizePackageName, type AppManifest } from "../manifest.ts";
import type { PythonProfile } from "../measurement/runtimeProfile.ts";
import { RuntimeProfileError } from "./RuntimeProfileError.ts";

export function checkPackageRequirements(manifest: AppManifest, profile: PythonProfile): void {
  const declared = new Map(profile.packages.map((entry) => [entry.name, entry.version]));
  const missing = Object.entries(manifest.python?.packages ?? {})
    .map(([name, version]) => ({ name: normalizePackageName(name), version }))
    .filter(({ name, version }) => declared.get(name) !== version)
    .map(({ name, version }) => `${name}==${version}`);
  if (missing.length > 0) {
    throw new RuntimeProfileError(
      "PACKAGES_NOT_DECLARED",
      `The app needs ${missing.join(", ")}, which the runtime profile does not declare.`,
      { missing, declared: Object.fromEntries(declared) },
    );
  }
}
