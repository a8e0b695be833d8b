// Typed errors of vendoring pure-Python packages into a bundle: a requirements file that is not
// fully pinned with hashes, a distribution file missing or not matching its hash, or one that is
// not pure Python or not laid out as this tool can unpack.
import { ContinuumError } from "../../core/ContinuumError.ts";

export type VendorErrorCode =
  | "BAD_REQUIREMENTS"
  | "DISTRIBUTION_NOT_FOUND"
  | "HASH_MISMATCH"
  | "NATIVE_DISTRIBUTION"
  | "BAD_DISTRIBUTION";

export class VendorError extends ContinuumError<VendorErrorCode> {}
