// Test helper: a pino logger at trace level whose every line is kept as parsed JSON, so a test
// can prove what was (and was not) logged, and at which level.
import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

export type LogLine = { level: number; msg: string; [key: string]: unknown };

/** pino's numeric levels. */
export const LOG_LEVEL = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

export function capturedLogs(): { logger: Logger; lines: () => LogLine[]; clear: () => void } {
  let lines: LogLine[] = [];
  const logger = pino(
    { level: "trace" },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as LogLine);
        done();
      },
    }),
  );
  return { logger, lines: () => lines, clear: () => void (lines = []) };
}
