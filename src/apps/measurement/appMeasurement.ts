// The enclave measurement of an app, the bytes32 registered on-chain, for each way an app runs.
// Software runtimes (what this project's workers run):
//   node    the bundle's sha256, as before measurement documents existed;
//   python  sha256("continuum/measurement/v1\n" ‖ canonical JSON {kind:"python", bundle, runtime}),
//   wasi    the same with kind "wasi";
// where bundle is the archive's sha256 and runtime the worker's runtime profile digest
// (runtimeProfile.ts). The scheduler and the enclave recompute it from the registered checksum and
// their own profiles, so neither needs the bundle's contents to know whether a worker fits.
import type { AppRuntime } from "../runtimes.ts";
import { canonicalJson } from "../../core/canonicalJson.ts";
import { sha256Hex, type Bytes32Hex } from "./sha256Hex.ts";

export const MEASUREMENT_DOMAIN = "continuum/measurement/v1\n";

export interface RuntimeMeasurementInput {
  kind: Exclude<AppRuntime, "node">;
  bundle: Bytes32Hex;
  runtime: Bytes32Hex;
}

/** The measurement of a bundle (by its sha256) run under a runtime profile (by its digest). */
export function appMeasurement(runtime: AppRuntime, bundleSha256: string, profileDigest: string): Bytes32Hex {
  const bundle = bundleSha256.toLowerCase() as Bytes32Hex;
  if (runtime === "node") return bundle;
  return sha256Hex(MEASUREMENT_DOMAIN, canonicalJson(runtimeMeasurementInput(runtime, bundle, profileDigest) as never));
}

/** The document hashed into a python or wasi measurement, for people and auditors to recompute. */
export function runtimeMeasurementInput(runtime: Exclude<AppRuntime, "node">, bundleSha256: string, profileDigest: string): RuntimeMeasurementInput {
  return { kind: runtime, bundle: bundleSha256.toLowerCase() as Bytes32Hex, runtime: profileDigest.toLowerCase() as Bytes32Hex };
}
