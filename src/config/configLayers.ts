// Merges configuration layers key by key (later layers win) while remembering where each value
// came from, so validation errors can name the file, variable or override to fix.
import { isAbsolute, resolve } from "node:path";

export type LayerEntry = { key: string; value: unknown; source: string };

/** Keys holding filesystem paths, resolved against the directory of the layer that set them. */
const PATH_KEYS = new Set(["dataDir", "chain.deploymentFile", "sms.attestation.trustedRootFile", "sms.attestation.collateralBundle"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Flattens nested objects into dotted leaf keys; arrays and scalars are leaves. */
export function layerEntries(values: Record<string, unknown>, source: string, prefix = ""): LayerEntry[] {
  return Object.entries(values).flatMap(([name, value]) => {
    const key = prefix + name;
    return isPlainObject(value) ? layerEntries(value, source, `${key}.`) : [{ key, value, source }];
  });
}

/** Makes relative paths absolute against `baseDir` (the config file's folder, or the cwd). */
export function resolvePaths(entries: readonly LayerEntry[], baseDir: string): LayerEntry[] {
  return entries.map((entry) =>
    PATH_KEYS.has(entry.key) && typeof entry.value === "string" && entry.value !== "" && !isAbsolute(entry.value)
      ? { ...entry, value: resolve(baseDir, entry.value) }
      : entry,
  );
}

function setAt(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!(part in node)) node[part] = {};
    const next = node[part];
    // A scalar where an object belongs is left in place for validation to report.
    if (!isPlainObject(next)) return;
    node = next;
  }
  node[parts[parts.length - 1]!] = value;
}

export function mergeLayers(layers: readonly (readonly LayerEntry[])[]): {
  input: Record<string, unknown>;
  sources: ReadonlyMap<string, string>;
} {
  const winners = new Map<string, LayerEntry>();
  for (const entry of layers.flat()) winners.set(entry.key, entry);
  const input: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const entry of winners.values()) {
    setAt(input, entry.key, entry.value);
    sources.set(entry.key, entry.source);
  }
  return { input, sources };
}
