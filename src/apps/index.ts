// Public API of app bundles and the deterministic archive beneath them, shared by the CLI (which
// packs and publishes bundles) and the enclave runtime (which unpacks and measures them).
export { ArchiveError, type ArchiveErrorCode } from "./archive/ArchiveError.ts";
export { archivePathProblem, MAX_ARCHIVE_PATH_BYTES } from "./archive/archivePath.ts";
export {
  ARCHIVE_FORMAT_VERSION,
  decodeArchive,
  encodeArchive,
  type ArchiveEntry,
  type DecodeArchiveOptions,
} from "./archive/archiveFormat.ts";
export { DEFAULT_ARCHIVE_LIMITS, packDirectory, type ArchiveLimits } from "./archive/packDirectory.ts";
export { readArchive, unpackArchive, writeArchiveEntries } from "./archive/unpackArchive.ts";
export { BundleError, type BundleErrorCode } from "./BundleError.ts";
export {
  appManifestSchema,
  MANIFEST_FILE,
  manifestFiles,
  MIN_MEMORY_MB,
  normalizePackageName,
  parseManifest,
  readManifest,
  type AppLimits,
  type AppManifest,
  type ConfidentialImage,
} from "./manifest.ts";
export {
  confidentialImageMeasurement,
  measureBundle,
  runtimeOfMeasurement,
  type BundleMeasurement,
  type RuntimeOfferDigest,
} from "./measurement/measureBundle.ts";
export { appMeasurement, runtimeMeasurementInput, MEASUREMENT_DOMAIN, type RuntimeMeasurementInput } from "./measurement/appMeasurement.ts";
export { canonicalJson } from "../core/canonicalJson.ts";
export {
  NODE_PROFILE,
  PYTHON_SANDBOX,
  runtimeProfileDigest,
  WASI_ABI,
  WASI_PROFILE,
  WASI_SANDBOX,
  type DeclaredPackage,
  type NodeProfile,
  type PythonProfile,
  type RuntimeProfile,
  type WasiProfile,
} from "./measurement/runtimeProfile.ts";
export { parseRuntimeProfile } from "./measurement/parseRuntimeProfile.ts";
export { sha256Hex } from "./measurement/sha256Hex.ts";
export {
  sgxMrenclaveOf,
  tdxMeasurementDocument,
  tdxRegistersFromJson,
  tdxTdMeasurement,
  type TdxRegisters,
  type TeeMeasurementKind,
} from "./measurement/teeImageMeasurement.ts";
export { sharedLibraries } from "./host/sharedLibraries.ts";
export { checkPackageRequirements } from "./python/checkPackageRequirements.ts";
export { parsePackagePins } from "./python/packagePins.ts";
export { probePythonRuntime, type PythonRuntime, type PythonRuntimeOptions } from "./python/probePythonRuntime.ts";
export { RuntimeProfileError, type RuntimeProfileErrorCode } from "./python/RuntimeProfileError.ts";
export { parseRequirements, type PinnedRequirement } from "./vendor/parseRequirements.ts";
export { REQUIREMENTS_FILE, VENDOR_DIRECTORY, vendorRequirements, type VendoredDistribution } from "./vendor/vendorRequirements.ts";
export { VendorError, type VendorErrorCode } from "./vendor/VendorError.ts";
export { APP_RUNTIME_NAMES, APP_RUNTIMES, type AppRuntime, type AppRuntimeInfo } from "./runtimes.ts";
export {
  bundleChecksum,
  measurePacked,
  packBundle,
  readBundle,
  unpackBundle,
  type BundleContents,
  type Bytes32Hex,
  type PackOptions,
  type PackedBundle,
} from "./bundle.ts";
