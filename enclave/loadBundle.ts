// Fetches the app bundle, measures it and checks the measurement is the app's registered one
// before the bundle is parsed, so an unregistered bundle is never interpreted at all; a bundle
// that is not the registered one, or not a bundle, is reported with what it measures as. The
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

/**
 * The bundle, or why the registered app cannot run, with what the fetched bytes measure as: the
 * enclave still attests that measurement, so the SMS can judge the app's registration (a bundle
 * that is not what the app registered is the app owner's failure, not the workerpool's).
 */
export type BundleLoad =
  | { ok: true; bundle: LoadedBundle }
  | { ok: false; error: EnclaveError; measurement: Bytes32Hex };

/** Runtimes in the order their measurement is tried: those whose profile needs no probing first. */
const MATCH_ORDER: readonly AppRuntime[] = ["node", "wasi", "python"];

export async function loadBundle(
  store: ContentStore,
  app: { bundleCid: string; measurement: string; checksum?: string },
  maxBundleBytes: number,
  bounds: StepBounds,
  launchers: Readonly<Record<AppRuntime, RuntimeLauncher>>,
): Promise<BundleLoad> {
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
    // Measured as the plain (node) runtime measures: the checksum of the bytes fetched.
    const error = new EnclaveError("WRONG_MEASUREMENT", "The fetched bundle does not measure as the registered app under any runtime of this worker.", {
      expected: app.measurement,
      checksum,
      bundleCid: app.bundleCid,
      ...(Object.keys(unavailable).length > 0 ? { unavailableRuntimes: unavailable } : {}),
    });
    // Only bytes that are not the registered bundle prove the app owner wrong; a bundle registered
    // for a runtime profile this worker does not have is this worker's to leave to another.
    const notRegisteredBundle = app.checksum !== undefined && app.checksum.toLowerCase() !== checksum;
    if (!notRegisteredBundle) throw error;
    return { ok: false, error, measurement: checksum };
  }
  let contents: BundleContents;
  try {
    contents = readBundle(bytes, { maxBytes: maxBundleBytes, maxEntries: 10_000 });
  } catch (error) {
    if (error instanceof ArchiveError || error instanceof BundleError) {
      const failure = new EnclaveError("BAD_BUNDLE", "The registered bundle is not a valid app bundle.", {
        reason: error.code,
        ...error.details,
      }, { cause: error });
      return { ok: false, error: failure, measurement: registered };
    }
    throw error;
  }
  if (contents.manifest.runtime !== runtime) {
    const error = new EnclaveError("BAD_BUNDLE", "The bundle's manifest names another runtime than its measurement is for.", {
      reason: "RUNTIME_MISMATCH",
      manifestRuntime: contents.manifest.runtime,
      measuredRuntime: runtime,
    });
    return { ok: false, error, measurement: registered };
  }
  return { ok: true, bundle: { ...contents, measurement: registered } };
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
