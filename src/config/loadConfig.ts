// Builds the one configuration object at a process's edge: defaults, then the JSON file, then
// environment variables, then caller overrides (e.g. CLI flags); validated, typed and frozen.
import { dirname, resolve } from "node:path";
import type { z } from "zod";
import { ConfigError, type ConfigIssue } from "./ConfigError.ts";
import { configSchema, type Config, type ConfigInput } from "./configSchema.ts";
import { layerEntries, mergeLayers, resolvePaths, type LayerEntry } from "./configLayers.ts";
import { CONFIG_FILE_VARIABLE, readEnvironment, type Environment } from "./environmentVariables.ts";
import { deepFreeze } from "./deepFreeze.ts";
import { readConfigFile } from "./readConfigFile.ts";

export type LoadConfigOptions = {
  /** The process environment; pass `process.env` from the entry point only. */
  env: Environment;
  /** A JSON config file (e.g. from `--config`); takes precedence over `CONTINUUM_CONFIG`. */
  file?: string;
  /** Highest-precedence values, e.g. parsed command-line flags. */
  overrides?: ConfigInput;
  /** Base for relative paths from the environment and overrides; defaults to `process.cwd()`. */
  cwd?: string;
};

/** Keys whose values must never appear in error messages. */
const SECRET_KEYS = new Set(["sms.masterKey", "sms.signerKey", "market.matcherKey", "database.url"]);

export function loadConfig(options: LoadConfigOptions): Config {
  const cwd = options.cwd ?? process.cwd();
  const { entries: envEntries, unknown } = readEnvironment(options.env);
  const layers: LayerEntry[][] = [
    [{ key: "dataDir", value: resolve(cwd, ".continuum"), source: "default" }],
    fileLayer(options, cwd),
    resolvePaths(
      envEntries.map(({ key, variable, value }) => ({ key, value, source: describeVariable(key, variable, value) })),
      cwd,
    ),
    resolvePaths(layerEntries(options.overrides ?? {}, "override"), cwd),
  ];
  const { input, sources } = mergeLayers(layers);
  const unknownVariables: ConfigIssue[] = unknown.map((variable) => ({
    key: variable,
    source: "env",
    reason: "unknown Continuum environment variable",
  }));
  const result = configSchema.safeParse(input);
  const issues = [...unknownVariables, ...(result.success ? [] : toConfigIssues(result.error.issues, sources))];
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return deepFreeze(result.data);
}

function fileLayer(options: LoadConfigOptions, cwd: string): LayerEntry[] {
  const fromFlag = options.file !== undefined && options.file !== "";
  const named = fromFlag ? options.file : options.env[CONFIG_FILE_VARIABLE]?.trim();
  if (!named) return [];
  const path = resolve(cwd, named);
  const values = readConfigFile(path, fromFlag ? "--config" : `env ${CONFIG_FILE_VARIABLE}`);
  return resolvePaths(layerEntries(values, `file ${path}`), dirname(path));
}

function describeVariable(key: string, variable: string, value: string | number): string {
  return SECRET_KEYS.has(key) ? `env ${variable}` : `env ${variable}=${JSON.stringify(String(value))}`;
}

function toConfigIssues(issues: readonly z.core.$ZodIssue[], sources: ReadonlyMap<string, string>): ConfigIssue[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((name) => {
        const key = path ? `${path}.${name}` : name;
        return { key, source: sourceOf(key, sources), reason: "unknown key" };
      });
    }
    return [{ key: path || "(root)", source: sourceOf(path, sources), reason: issue.message }];
  });
}

/** The source of a key, or of the nearest nested key that set a value inside it. */
function sourceOf(key: string, sources: ReadonlyMap<string, string>): string {
  const exact = sources.get(key);
  if (exact) return exact;
  for (const [name, source] of sources) if (name.startsWith(`${key}.`)) return source;
  return "default";
}
