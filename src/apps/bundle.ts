// App bundles: a directory with a continuum.json manifest, carried as its canonical archive. The
// archive's sha256 is the bundle's checksum; its enclave measurement is derived from the checksum
// and the runtime profile the app is built for (measurement/appMeasurement.ts).
import type { ArchiveEntry } from "./archive/archiveFormat.ts";
import { encodeArchive } from "./archive/archiveFormat.ts";
import { DEFAULT_ARCHIVE_LIMITS, readEntries, type ArchiveLimits } from "./archive/packDirectory.ts";
import { readArchive, writeArchiveEntries } from "./archive/unpackArchive.ts";
import { BundleError } from "./BundleError.ts";
import { MANIFEST_FILE, manifestFiles, parseManifest, type AppManifest } from "./manifest.ts";
import { measureBundle, type BundleMeasurement } from "./measurement/measureBundle.ts";
import type { RuntimeProfile } from "./measurement/runtimeProfile.ts";
import { sha256Hex, type Bytes32Hex } from "./measurement/sha256Hex.ts";

export type { Bytes32Hex };

export interface PackedBundle {
  /** The canonical archive: what is stored on IPFS and what the enclave loads. */
  bytes: Uint8Array;
  /** sha256 of `bytes`: the download checksum registered on-chain. */
  checksum: Bytes32Hex;
  /**
   * The enclave measurement registered on-chain: the checksum itself for a node app, a measurement
   * document's hash for python and wasi apps (bound to the runtime profile they were packed for).
   */
  measurement: Bytes32Hex;
  /** How the measurement was made, for people and auditors. */
  measured: BundleMeasurement;
  manifest: AppManifest;
}

export interface BundleContents {
  manifest: AppManifest;
  /** sha256 of the bundle bytes. */
  checksum: Bytes32Hex;
  entries: ArchiveEntry[];
}

export interface PackOptions {
  limits?: ArchiveLimits;
  /**
   * The runtime profile to measure for: needed for python apps (a worker's interpreter and
   * declared packages); node and wasi apps have one profile everywhere.
   */
  profile?: RuntimeProfile;
}

/** sha256 of a bundle's canonical bytes, 0x-prefixed: its checksum. */
export function bundleChecksum(bytes: Uint8Array): Bytes32Hex {
  return sha256Hex(bytes);
}

/** Packs `directory`; the same files give the same bytes whatever their order, times or owners. */
export async function packBundle(directory: string, options: PackOptions = {}): Promise<PackedBundle> {
  const entries = await readEntries(directory, options.limits ?? DEFAULT_ARCHIVE_LIMITS);
  const manifest = manifestOf(entries);
  const bytes = encodeArchive(entries);
  return withMeasurement({ bytes, manifest, checksum: bundleChecksum(bytes) }, options.profile);
}

/** The measurement of bundle bytes already packed, for the given runtime profile. */
export function measurePacked(bytes: Uint8Array, profile?: RuntimeProfile, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): PackedBundle {
  const { manifest, checksum } = readBundle(bytes, limits);
  return withMeasurement({ bytes, manifest, checksum }, profile);
}

/** Decodes and validates bundle bytes (archive, manifest, the files it names) without writing anything. */
export function readBundle(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): BundleContents {
  const entries = readArchive(bytes, limits);
  return { manifest: manifestOf(entries), checksum: bundleChecksum(bytes), entries };
}

/** Validates bundle bytes and writes their files into `directory` (new or empty). */
export async function unpackBundle(
  bytes: Uint8Array,
  directory: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<{ manifest: AppManifest; checksum: Bytes32Hex }> {
  const { manifest, checksum, entries } = readBundle(bytes, limits);
  await writeArchiveEntries(entries, directory);
  return { manifest, checksum };
}

function withMeasurement(bundle: Omit<PackedBundle, "measurement" | "measured">, profile: RuntimeProfile | undefined): PackedBundle {
  const measured = measureBundle(bundle.checksum, bundle.manifest, profile);
  return { ...bundle, measurement: measured.measurement, measured };
}

function manifestOf(entries: readonly ArchiveEntry[]): AppManifest {
  const manifestEntry = entries.find((entry) => entry.path === MANIFEST_FILE);
  if (manifestEntry === undefined) {
    throw new BundleError("MANIFEST_NOT_FOUND", `A bundle needs ${MANIFEST_FILE} at its root.`);
  }
  const manifest = parseManifest(manifestEntry.content);
  for (const { field, path } of manifestFiles(manifest)) {
    if (!entries.some((entry) => entry.path === path)) {
      const code = field === "entrypoint" ? "ENTRYPOINT_NOT_FOUND" : "BAD_MANIFEST";
      throw new BundleError(code, `The manifest's ${field} is not a file of the bundle.`, { [field]: path });
    }
  }
  return manifest;
}
