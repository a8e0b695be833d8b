// Structured logging for every service (pino). Loggers carry context such as dealId or taskId
// through child loggers; secrets and key material are redacted and must never be passed here.
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

const REDACTED_PATHS = [
  "*.privateKey",
  "*.secret",
  "*.password",
  "*.key",
  "*.masterKey",
  "*.matcherKey",
  "privateKey",
  "secret",
  "password",
  "masterKey",
  "matcherKey",
];

/** `destination` defaults to stdout; commands whose stdout is their output log to stderr instead. */
export function createLogger(options: { name: string; level?: string; destination?: DestinationStream }): Logger {
  const settings = { name: options.name, level: options.level ?? "info", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A logger that discards everything, for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
