// The error raised when configuration cannot be built: it lists every bad key, where its value
// came from (default, file, environment variable, override) and why it was rejected.
import { ContinuumError } from "../core/ContinuumError.ts";

export type ConfigIssue = {
  /** Dotted path of the key in the config object, e.g. `market.port`. */
  key: string;
  /** Where the rejected value came from, e.g. `env CONTINUUM_MARKET_PORT="abc"`. */
  source: string;
  reason: string;
};

export class ConfigError extends ContinuumError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown }) {
    super("INVALID_CONFIG", formatIssues(issues), { issues }, options);
    this.issues = issues;
  }
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.key} (${issue.source}): ${issue.reason}`);
  return `Invalid configuration:\n${lines.join("\n")}`;
}
