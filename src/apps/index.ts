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
  MIN_MEMORY_MB,
  parseManifest,
  readManifest,
  type AppLimits,
  type AppManifest,
} from "./manifest.ts";
export { APP_RUNTIME_NAMES, APP_RUNTIMES, type AppRuntime, type AppRuntimeInfo } from "./runtimes.ts";
export {
  bundleMeasurement,
  packBundle,
  readBundle,
  unpackBundle,
  type BundleContents,
  type Bytes32Hex,
  type PackedBundle,
} from "./bundle.ts";
