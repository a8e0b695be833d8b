// Reads the optional JSON configuration file; an unreadable file or one that is not a JSON object
// becomes a ConfigError naming the file, since a typo in `--config` must not be ignored.
import { readFileSync } from "node:fs";
import { ConfigError } from "./ConfigError.ts";

export function readConfigFile(path: string, source: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : "file cannot be read";
    throw new ConfigError([{ key: "config file", source, reason: `${reason}: ${path}` }], { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ key: "config file", source, reason: `not valid JSON: ${(error as Error).message}` }], {
      cause: error,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([{ key: "config file", source, reason: "must contain a JSON object" }]);
  }
  return parsed as Record<string, unknown>;
}
