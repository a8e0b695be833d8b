// Fills an app's vendor/ directory from its requirements.txt without the network: each pinned
// requirement is found as a wheel or sdist file in the folders the developer names, its sha256 is
// checked against the pinned hashes (a mismatch is refused), and its Python files are unpacked.
// Only pure-Python distributions are vendored: native code comes from the worker's declared set.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { archivePathProblem } from "../archive/archivePath.ts";
import { normalizePackageName } from "../manifest.ts";
import { parseRequirements, type PinnedRequirement } from "./parseRequirements.ts";
import { readTarGz } from "./readTarGz.ts";
import { readZip, type ArchivedFile } from "./readZip.ts";
import { VendorError } from "./VendorError.ts";

export const REQUIREMENTS_FILE = "requirements.txt";
export const VENDOR_DIRECTORY = "vendor";
const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

export interface VendoredDistribution {
  name: string;
  version: string;
  /** The wheel or sdist file it came from. */
  file: string;
  sha256: string;
  files: number;
}

/** Replaces `<app>/vendor` with the requirements' files; returns what was vendored. */
export async function vendorRequirements(appDirectory: string, sources: readonly string[]): Promise<VendoredDistribution[]> {
  let text: string;
  try {
    text = await readFile(join(appDirectory, REQUIREMENTS_FILE), "utf8");
  } catch (cause) {
    throw new VendorError("BAD_REQUIREMENTS", `The app has no readable ${REQUIREMENTS_FILE} to vendor from.`, { appDirectory }, { cause });
  }
  const requirements = parseRequirements(text);
  const candidates = (await Promise.all(sources.map(async (source) => (await readdir(source)).map((name) => join(source, name))))).flat();
  const unpacked: { requirement: PinnedRequirement; file: string; sha256: string; files: ArchivedFile[] }[] = [];
  for (const requirement of requirements) {
    const file = candidates.find((path) => distributionOf(path)?.name === requirement.name && distributionOf(path)?.version === requirement.version);
    if (file === undefined) {
      throw new VendorError("DISTRIBUTION_NOT_FOUND", `No wheel or sdist of ${requirement.name}==${requirement.version} in ${sources.join(", ")}.`, {
        requirement: `${requirement.name}==${requirement.version}`,
      });
    }
    const bytes = await readFile(file);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (!requirement.sha256.includes(sha256)) {
      throw new VendorError("HASH_MISMATCH", `${file} does not match any hash pinned for ${requirement.name}==${requirement.version}.`, {
        file,
        actual: sha256,
        pinned: requirement.sha256,
      });
    }
    unpacked.push({ requirement, file, sha256, files: file.endsWith(".whl") ? wheelFiles(file, bytes) : sdistFiles(requirement, bytes) });
  }
  const vendor = join(appDirectory, VENDOR_DIRECTORY);
  await rm(vendor, { recursive: true, force: true });
  for (const { files } of unpacked) {
    for (const entry of files) {
      await mkdir(dirname(join(vendor, entry.path)), { recursive: true });
      await writeFile(join(vendor, entry.path), entry.content, { flag: "wx" });
    }
  }
  return unpacked.map(({ requirement, file, sha256, files }) => ({ name: requirement.name, version: requirement.version, file, sha256, files: files.length }));
}

/** Name and version of a wheel (name-version[-build]-python-abi-platform.whl) or sdist (name-version.tar.gz). */
function distributionOf(path: string): { name: string; version: string } | undefined {
  const file = path.slice(path.lastIndexOf("/") + 1);
  if (file.endsWith(".whl")) {
    const parts = file.slice(0, -4).split("-");
    return parts.length === 5 || parts.length === 6 ? { name: normalizePackageName(parts[0]!), version: parts[1]! } : undefined;
  }
  const match = /^(.+)-([0-9][^-]*)\.tar\.gz$/.exec(file);
  return match === null ? undefined : { name: normalizePackageName(match[1]!), version: match[2]! };
}

function wheelFiles(file: string, bytes: Buffer): ArchivedFile[] {
  const parts = file.slice(file.lastIndexOf("/") + 1, -4).split("-");
  const [abi, platform] = parts.slice(-2);
  if (abi !== "none" || platform !== "any") {
    throw new VendorError("NATIVE_DISTRIBUTION", `${file} is built for ${abi}-${platform}: only pure-Python wheels (none-any) are vendored; native packages come from the worker's declared set.`, { file });
  }
  return checked(
    readZip(bytes, MAX_UNPACKED_BYTES).flatMap((entry) => {
      const data = /^[^/]+\.data\/(purelib|platlib)\/(.+)$/.exec(entry.path);
      if (data !== null) return [{ path: data[2]!, content: entry.content }];
      return /^[^/]+\.data\//.test(entry.path) ? [] : [entry];
    }),
  );
}

/** The import package (or module) of a pure-Python sdist, at its root or under src/. */
function sdistFiles(requirement: PinnedRequirement, bytes: Buffer): ArchivedFile[] {
  const files = readTarGz(bytes, MAX_UNPACKED_BYTES);
  const module = requirement.name.replace(/-/g, "_");
  for (const base of ["", "src/"]) {
    const prefix = new RegExp(`^[^/]+/${base}(${module}/.+|${module}\\.py)$`, "i");
    const found = files.flatMap((entry) => {
      const match = prefix.exec(entry.path);
      return match === null ? [] : [{ path: match[1]!, content: entry.content }];
    });
    if (found.length > 0) return checked(found);
  }
  throw new VendorError("BAD_DISTRIBUTION", `The sdist of ${requirement.name} has no ${module}/ package or ${module}.py at its root or under src/; vendor a wheel instead.`, {
    requirement: `${requirement.name}==${requirement.version}`,
  });
}

function checked(files: ArchivedFile[]): ArchivedFile[] {
  for (const entry of files) {
    const problem = archivePathProblem(entry.path);
    if (problem !== undefined) throw new VendorError("BAD_DISTRIBUTION", `Distribution archive refused: ${problem}.`, { path: entry.path });
  }
  return files;
}
