// App bundles: a directory with a continuum.json manifest, carried as its canonical archive.
// The archive's sha256 is both the bundle's checksum and its enclave measurement (see below).
import { createHash } from "node:crypto";
import type { ArchiveEntry } from "./archive/archiveFormat.ts";
import { encodeArchive } from "./archive/archiveFormat.ts";
import { DEFAULT_ARCHIVE_LIMITS, readEntries, type ArchiveLimits } from "./archive/packDirectory.ts";
import { readArchive, writeArchiveEntries } from "./archive/unpackArchive.ts";
import { BundleError } from "./BundleError.ts";
import { MANIFEST_FILE, parseManifest, type AppManifest } from "./manifest.ts";

export type Bytes32Hex = `0x${string}`;

export interface PackedBundle {
  /** The canonical archive: what is stored on IPFS and what the enclave loads. */
  bytes: Uint8Array;
  /** sha256 of `bytes`: the measurement registered on-chain and reported as the quote's MRENCLAVE. */
  measurement: Bytes32Hex;
  /**
   * sha256 of `bytes` as well: the archive is already canonical, so the download checksum and the
   * measurement coincide. They stay separate fields (as on-chain) because real hardware measures
   * the loaded enclave image, which would differ from the archive's hash.
   */
  checksum: Bytes32Hex;
  manifest: AppManifest;
}

export interface BundleContents {
  manifest: AppManifest;
  measurement: Bytes32Hex;
  entries: ArchiveEntry[];
}

/** sha256 of a bundle's canonical bytes, 0x-prefixed. */
export function bundleMeasurement(bytes: Uint8Array): Bytes32Hex {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Packs `directory`; the same files give the same bytes whatever their order, times or owners. */
export async function packBundle(directory: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<PackedBundle> {
  const entries = await readEntries(directory, limits);
  const manifest = manifestOf(entries);
  const bytes = encodeArchive(entries);
  const measurement = bundleMeasurement(bytes);
  return { bytes, measurement, checksum: measurement, manifest };
}

/** Decodes and validates bundle bytes (archive, manifest, entrypoint) without writing anything. */
export function readBundle(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): BundleContents {
  const entries = readArchive(bytes, limits);
  return { manifest: manifestOf(entries), measurement: bundleMeasurement(bytes), entries };
}

/** Validates bundle bytes and writes their files into `directory` (new or empty). */
export async function unpackBundle(
  bytes: Uint8Array,
  directory: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<{ manifest: AppManifest; measurement: Bytes32Hex }> {
  const { manifest, measurement, entries } = readBundle(bytes, limits);
  await writeArchiveEntries(entries, directory);
  return { manifest, measurement };
}

function manifestOf(entries: readonly ArchiveEntry[]): AppManifest {
  const manifestEntry = entries.find((entry) => entry.path === MANIFEST_FILE);
  if (manifestEntry === undefined) {
    throw new BundleError("MANIFEST_NOT_FOUND", `A bundle needs ${MANIFEST_FILE} at its root.`);
  }
  const manifest = parseManifest(manifestEntry.content);
  if (!entries.some((entry) => entry.path === manifest.entrypoint)) {
    throw new BundleError("ENTRYPOINT_NOT_FOUND", "The manifest's entrypoint is not a file of the bundle.", {
      entrypoint: manifest.entrypoint,
    });
  }
  return manifest;
}
