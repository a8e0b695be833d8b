// The requirements.txt a python app vendors from: one exact pin per requirement with at least one
// sha256 hash, as `pip install --require-hashes` demands (`name==version --hash=sha256:<hex>`,
// lines continued with a backslash, comments after '#'). Anything looser is refused.
import { normalizePackageName } from "../manifest.ts";
import { VendorError } from "./VendorError.ts";

export interface PinnedRequirement {
  /** Normalised distribution name (PEP 503). */
  name: string;
  version: string;
  /** Accepted sha256 digests of the distribution file, lowercase hex. */
  sha256: string[];
}

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9A-Za-z][0-9A-Za-z.+!_-]*)$/;
const HASH = /^--hash=sha256:([0-9a-fA-F]{64})$/;

export function parseRequirements(text: string): PinnedRequirement[] {
  const logical = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const requirements: PinnedRequirement[] = [];
  for (const [index, raw] of logical.entries()) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") continue;
    const [pin, ...options] = line.split(/\s+/);
    const match = PIN.exec(pin!);
    const hashes = options.map((option) => HASH.exec(option)?.[1]?.toLowerCase());
    if (match === null || hashes.length === 0 || hashes.some((hash) => hash === undefined)) {
      throw new VendorError(
        "BAD_REQUIREMENTS",
        `requirements.txt line ${index + 1}: each requirement must be name==version followed by --hash=sha256:<hex>.`,
        { line: raw.trim() },
      );
    }
    requirements.push({ name: normalizePackageName(match[1]!), version: match[2]!, sha256: hashes as string[] });
  }
  return requirements;
}
