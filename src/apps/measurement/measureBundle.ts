// Measures a bundle for the way it will run: under a runtime profile (node, python, wasi), or, for
// a bundle that carries a hardware TEE image, from the image's own measurement file. Also answers
// the reverse question the scheduler and the enclave ask: which of my runtime offers does this
// registered (checksum, measurement) pair belong to?
import type { ArchiveEntry } from "../archive/archiveFormat.ts";
import { BundleError } from "../BundleError.ts";
import type { AppManifest } from "../manifest.ts";
import { checkPackageRequirements } from "../python/checkPackageRequirements.ts";
import { RuntimeProfileError } from "../python/RuntimeProfileError.ts";
import type { AppRuntime } from "../runtimes.ts";
import { appMeasurement, runtimeMeasurementInput, type RuntimeMeasurementInput } from "./appMeasurement.ts";
import { NODE_PROFILE, runtimeProfileDigest, WASI_PROFILE, type RuntimeProfile } from "./runtimeProfile.ts";
import type { Bytes32Hex } from "./sha256Hex.ts";
import { sgxMrenclaveOf, tdxRegistersFromJson, tdxTdMeasurement, type TeeMeasurementKind } from "./teeImageMeasurement.ts";

export interface BundleMeasurement {
  kind: AppRuntime;
  checksum: Bytes32Hex;
  measurement: Bytes32Hex;
  /** The runtime profile's digest; absent for node, whose measurement is the checksum. */
  profileDigest?: Bytes32Hex;
  /** The document whose hash is the measurement; absent for node. */
  document?: RuntimeMeasurementInput;
}

/** One runtime a worker offers, by the digest of its profile (node needs none). */
export interface RuntimeOfferDigest {
  runtime: string;
  profile?: string;
}

/** The measurement of a bundle for `profile` (node and wasi need none: theirs is the same everywhere). */
export function measureBundle(checksum: Bytes32Hex, manifest: AppManifest, profile?: RuntimeProfile): BundleMeasurement {
  const runtime = manifest.runtime;
  const chosen = profile ?? defaultProfile(runtime);
  if (chosen.runtime !== runtime) {
    throw new RuntimeProfileError("BAD_RUNTIME_PROFILE", `A ${runtime} app cannot be measured for a ${chosen.runtime} runtime profile.`, {
      runtime,
      profileRuntime: chosen.runtime,
    });
  }
  if (chosen.runtime === "python") checkPackageRequirements(manifest, chosen);
  if (runtime === "node") return { kind: runtime, checksum, measurement: checksum };
  const profileDigest = runtimeProfileDigest(chosen);
  return {
    kind: runtime,
    checksum,
    measurement: appMeasurement(runtime, checksum, profileDigest),
    profileDigest,
    document: runtimeMeasurementInput(runtime, checksum, profileDigest),
  };
}

/** The offer among `offers` under which the app (checksum, measurement) runs, if any. */
export function runtimeOfMeasurement<T extends RuntimeOfferDigest>(measurement: string, checksum: string, offers: readonly T[]): T | undefined {
  const wanted = measurement.toLowerCase();
  return offers.find(
    (offer) =>
      isRuntime(offer.runtime) &&
      (offer.runtime === "node" || offer.profile !== undefined) &&
      appMeasurement(offer.runtime, checksum, offer.profile ?? "") === wanted,
  );
}

/** The hardware measurement of the TEE image a bundle carries (manifest.confidentialImage). */
export function confidentialImageMeasurement(
  manifest: AppManifest,
  entries: readonly ArchiveEntry[],
): { kind: TeeMeasurementKind; measurement: Bytes32Hex } {
  const image = manifest.confidentialImage;
  if (image === undefined) throw new BundleError("BAD_MANIFEST", "The manifest has no confidentialImage to measure.");
  const file = (path: string) => entries.find((entry) => entry.path === path)!.content;
  if (image.kind === "sgx-mrenclave") return { kind: image.kind, measurement: sgxMrenclaveOf(file(image.sigstruct)) };
  return { kind: image.kind, measurement: tdxTdMeasurement(tdxRegistersFromJson(file(image.measurements))) };
}

function defaultProfile(runtime: AppRuntime): RuntimeProfile {
  if (runtime === "node") return NODE_PROFILE;
  if (runtime === "wasi") return WASI_PROFILE;
  throw new RuntimeProfileError(
    "BAD_RUNTIME_PROFILE",
    "A python app is measured for a runtime profile (the workers' interpreter and declared packages); none was given.",
  );
}

function isRuntime(name: string): name is AppRuntime {
  return name === "node" || name === "python" || name === "wasi";
}
