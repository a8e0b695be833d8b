// What a command prints: one result (human lines on stdout, or one JSON document with --json),
// status and progress lines on stderr that --json silences so scripts read clean output.
import { toJson } from "../core/bigintJson.ts";

export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
};

export type ResultRow = readonly [label: string, value: string];

export class CliOutput {
  readonly #io: CliIo;
  readonly json: boolean;

  constructor(io: CliIo, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  /** Prints a command's result: `data` as JSON with --json, otherwise the aligned `rows`. */
  result(data: Record<string, unknown>, rows: readonly ResultRow[]): void {
    if (this.json) {
      this.#io.stdout(`${toJson(data, 2)}\n`);
      return;
    }
    const width = Math.max(0, ...rows.map(([label]) => label.length));
    this.#io.stdout(rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join(""));
  }

  /**
   * One entry of a long-running command's output (stdout): `data` as one compact JSON line with
   * --json, so a script can read entries as they come; otherwise the `human` line.
   */
  event(data: Record<string, unknown>, human: string): void {
    this.#io.stdout(this.json ? `${toJson(data)}\n` : `${human}\n`);
  }

  /** Where a long-running command's structured (pino) log lines go: stderr, beside status lines. */
  logDestination(): { write(line: string): void } {
    return { write: (line) => this.#io.stderr(line) };
  }

  /** A line telling the user what is happening (stderr; silent with --json). */
  status(message: string): void {
    if (!this.json) this.#io.stderr(`${message}\n`);
  }

  /** Reports `done` of `total` bytes as percentage lines on stderr, every 10% and at the end. */
  progress(label: string, total: number): (done: number) => void {
    let lastShown = -1;
    return (done) => {
      if (this.json) return;
      const percent = total === 0 ? 100 : Math.min(100, Math.floor((done * 100) / total));
      if (percent === lastShown || (percent < 100 && percent < lastShown + 10)) return;
      lastShown = percent;
      this.#io.stderr(`${label}: ${String(percent).padStart(3)}% (${formatBytes(done)} of ${formatBytes(total)})\n`);
    };
  }
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
