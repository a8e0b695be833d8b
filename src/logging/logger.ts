// Structured logging for every service (pino). Loggers carry context such as dealId or taskId
// through child loggers; secrets and key material are redacted and must never be passed here.
import { pino, type Logger } from "pino";

export type { Logger };

const REDACTED_PATHS = [
  "*.privateKey",
  "*.secret",
  "*.password",
  "*.key",
  "*.masterKey",
  "privateKey",
  "secret",
  "password",
  "masterKey",
];

export function createLogger(options: { name: string; level?: string }): Logger {
  return pino({
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  });
}

/** A logger that discards everything, for tests and library callers that pass none. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
