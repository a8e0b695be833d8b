// What a worker offers to run apps of one runtime, as far as it changes what runs: the Python
// interpreter and its declared native packages, the WASI host. A profile's digest is what the app
// measurement binds to (appMeasurement.ts), so an app registered for one profile runs on no other.
import { canonicalJson, type CanonicalValue } from "../../core/canonicalJson.ts";
import { sha256Hex, type Bytes32Hex } from "./sha256Hex.ts";

export const PROFILE_DOMAIN = "continuum/runtime-profile/v1\n";

/** The sandbox generation each launcher implements; a change to what the sandbox exposes bumps it. */
export const PYTHON_SANDBOX = "bwrap-python/1";
export const WASI_SANDBOX = "bwrap-node-wasi/1";
export const WASI_ABI = "wasi_snapshot_preview1";

export interface PythonInterpreterIdentity {
  implementation: string;
  /** platform.python_version(), e.g. "3.11.2". */
  version: string;
  /** sha256 of the interpreter's executable file (after resolving links). */
  executableSha256: Bytes32Hex;
  /** Tree digest of the standard library directory (treeDigest.ts), lib-dynload included. */
  stdlibSha256: Bytes32Hex;
  /**
   * sha256 over "<path> NUL <sha256 hex> LF" lines, sorted by path, of every shared library the
   * interpreter, its extension modules and the declared packages load (as `ldd` resolves them).
   */
  librariesSha256: Bytes32Hex;
}

export interface DeclaredPackage {
  /** Normalised distribution name (PEP 503). */
  name: string;
  version: string;
  /** Tree digest of the distribution's files: its import roots and its metadata directory. */
  filesSha256: Bytes32Hex;
}

export interface PythonProfile {
  runtime: "python";
  sandbox: typeof PYTHON_SANDBOX;
  interpreter: PythonInterpreterIdentity;
  /** The worker's whole declared package set, sorted by name: all of it is visible to the app. */
  packages: DeclaredPackage[];
}

export interface WasiProfile {
  runtime: "wasi";
  sandbox: typeof WASI_SANDBOX;
  abi: typeof WASI_ABI;
}

export interface NodeProfile {
  runtime: "node";
}

export type RuntimeProfile = NodeProfile | PythonProfile | WasiProfile;

/** The WASI profile is the same on every worker: the module's hash alone decides the measurement. */
export const WASI_PROFILE: WasiProfile = { runtime: "wasi", sandbox: WASI_SANDBOX, abi: WASI_ABI };
export const NODE_PROFILE: NodeProfile = { runtime: "node" };

/** sha256("continuum/runtime-profile/v1\n" ‖ canonical JSON of the profile). */
export function runtimeProfileDigest(profile: RuntimeProfile): Bytes32Hex {
  return sha256Hex(PROFILE_DOMAIN, canonicalJson(profile as unknown as CanonicalValue));
}
