// Typed errors about a worker's runtime profiles: an interpreter that cannot be probed, a declared
// package that is missing or at another version, an app needing packages a profile lacks.
import { ContinuumError } from "../../core/ContinuumError.ts";

export type RuntimeProfileErrorCode =
  /** The configured interpreter could not be run or answered nonsense. */
  | "INTERPRETER_UNAVAILABLE"
  /** A package of the declared set is not installed, or at another version than declared. */
  | "DECLARED_PACKAGE_MISSING"
  /** The app's manifest needs packages (or pins) the runtime profile does not declare. */
  | "PACKAGES_NOT_DECLARED"
  /** A runtime profile document is malformed or for another runtime. */
  | "BAD_RUNTIME_PROFILE";

export class RuntimeProfileError extends ContinuumError<RuntimeProfileErrorCode> {}
