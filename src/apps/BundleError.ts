// Typed errors about app bundles (as opposed to the archive bytes beneath them): a missing or
// invalid manifest, or an entrypoint the bundle does not contain.
import { ContinuumError } from "../core/ContinuumError.ts";

export type BundleErrorCode = "MANIFEST_NOT_FOUND" | "BAD_MANIFEST" | "ENTRYPOINT_NOT_FOUND";

export class BundleError extends ContinuumError<BundleErrorCode> {}
