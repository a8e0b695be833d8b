// Fetches the app bundle, measures it and checks the measurement is the app's registered one
// before the bundle is parsed, so an unregistered bundle is never interpreted at all.
import { ArchiveError, BundleError, bundleMeasurement, readBundle, type BundleContents } from "../src/apps/index.ts";
import type { ContentStore } from "../src/storage/index.ts";
import type { StepBounds } from "./deadline.ts";
import { EnclaveError } from "./EnclaveError.ts";
import { storageStep } from "./storageStep.ts";

export async function loadBundle(
  store: ContentStore,
  app: { bundleCid: string; measurement: string },
  maxBundleBytes: number,
  bounds: StepBounds,
): Promise<BundleContents> {
  const bytes = await storageStep(
    "FETCH_FAILED",
    "fetching the app bundle",
    (signal) => store.get(app.bundleCid, { maxBytes: maxBundleBytes, signal }),
    bounds,
  );
  const measurement = bundleMeasurement(bytes);
  if (measurement !== app.measurement.toLowerCase()) {
    throw new EnclaveError("WRONG_MEASUREMENT", "The fetched bundle does not measure as the registered app.", {
      expected: app.measurement,
      actual: measurement,
      bundleCid: app.bundleCid,
    });
  }
  try {
    return readBundle(bytes, { maxBytes: maxBundleBytes, maxEntries: 10_000 });
  } catch (error) {
    if (error instanceof ArchiveError || error instanceof BundleError) {
      throw new EnclaveError("BAD_BUNDLE", "The registered bundle is not a valid app bundle.", {
        reason: error.code,
        ...error.details,
      }, { cause: error });
    }
    throw error;
  }
}
