// Fetches the app bundle, measures it and checks the measurement is the app's registered one
// before the bundle is parsed, so an unregistered bundle is never interpreted at all. The
// measurement is recomputed for each runtime this worker offers (node: the checksum; wasi and
// python: the measurement document over the checksum and the runtime's profile), cheapest first;
// the one that matches says which runtime the app was registered for.
import {
  appMeasurement,
  ArchiveError,
  BundleError,
  bundleChecksum,
  readBundle,
  runtimeProfileDigest,
  type AppRuntime,
  type BundleContents,
  type Bytes32Hex,
} from "../src/apps/index.ts";
import type { ContentStore } from "../src/storage/index.ts";
import type { StepBounds } from "./deadline.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { RuntimeLauncher } from "./launchers/RuntimeLauncher.ts";
import { storageStep } from "./storageStep.ts";

export interface LoadedBundle extends BundleContents {
  /** The registered measurement, verified: what the enclave's quote reports. */
  measurement: Bytes32Hex;
}

/** Runtimes in the order their measurement is tried: those whose profile needs no probing first. */
const MATCH_ORDER: readonly AppRuntime[] = ["node", "wasi", "python"];

export async function loadBundle(
  store: ContentStore,
  app: { bundleCid: string; measurement: string },
  maxBundleBytes: number,
  bounds: StepBounds,
  launchers: Readonly<Record<AppRuntime, RuntimeLauncher>>,
): Promise<LoadedBundle> {
  const bytes = await storageStep(
    "FETCH_FAILED",
    "fetching the app bundle",
    (signal) => store.get(app.bundleCid, { maxBytes: maxBundleBytes, signal }),
    bounds,
  );
  const checksum = bundleChecksum(bytes);
  const registered = app.measurement.toLowerCase() as Bytes32Hex;
  const { runtime, unavailable } = await matchRuntime(registered, checksum, launchers);
  if (runtime === undefined) {
    throw new EnclaveError("WRONG_MEASUREMENT", "The fetched bundle does not measure as the registered app under any runtime of this worker.", {
      expected: app.measurement,
      checksum,
      bundleCid: app.bundleCid,
      ...(Object.keys(unavailable).length > 0 ? { unavailableRuntimes: unavailable } : {}),
    });
  }
  let contents: BundleContents;
  try {
    contents = readBundle(bytes, { maxBytes: maxBundleBytes, maxEntries: 10_000 });
  } catch (error) {
    if (error instanceof ArchiveError || error instanceof BundleError) {
      throw new EnclaveError("BAD_BUNDLE", "The registered bundle is not a valid app bundle.", {
        reason: error.code,
        ...error.details,
      }, { cause: error });
    }
    throw error;
  }
  if (contents.manifest.runtime !== runtime) {
    throw new EnclaveError("BAD_BUNDLE", "The bundle's manifest names another runtime than its measurement is for.", {
      reason: "RUNTIME_MISMATCH",
      manifestRuntime: contents.manifest.runtime,
      measuredRuntime: runtime,
    });
  }
  return { ...contents, measurement: registered };
}

async function matchRuntime(
  registered: Bytes32Hex,
  checksum: Bytes32Hex,
  launchers: Readonly<Record<AppRuntime, RuntimeLauncher>>,
): Promise<{ runtime: AppRuntime | undefined; unavailable: Record<string, string> }> {
  const unavailable: Record<string, string> = {};
  for (const runtime of MATCH_ORDER) {
    const launcher = launchers[runtime];
    if (runtime === "python") {
      // The python profile exists only once the interpreter has been probed.
      const reason = await launcher.unavailableReason();
      if (reason !== undefined) {
        unavailable[runtime] = reason;
        continue;
      }
    }
    if (appMeasurement(runtime, checksum, runtimeProfileDigest(launcher.profile())) === registered) return { runtime, unavailable };
  }
  return { runtime: undefined, unavailable };
}
