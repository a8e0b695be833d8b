// What every `serve` command shares: the service started from the one configuration, a
// "listening" event (a JSON line with --json), structured logs on stderr, and a clean stop on
// Ctrl-C or SIGTERM; a port that cannot be bound becomes PORT_UNAVAILABLE naming it.
import { Option, type Command } from "commander";
import { LOG_LEVELS, type Config, type DatabaseTarget } from "../config/index.ts";
import type { Logger } from "../core/logger.ts";
import { parsePort } from "../cli/arguments.ts";
import type { CliContext } from "../cli/context.ts";
import { CliError } from "../cli/errors.ts";
import { listenForStopSignals } from "../cli/stopSignals.ts";

export type ServeFlags = { host?: string; port?: number; logLevel: string };

/** A started service: where it listens, what to print about it, and how it stops. */
export type RunningService = {
  url: string;
  /** Extra fields of the "listening" event, each also printed as a line. */
  facts: Record<string, string>;
  close(): Promise<void>;
};

export type ServiceSpec = {
  /** The service's name in messages, e.g. "market". */
  name: string;
  /** The configuration section the --host and --port flags override. */
  section: "market" | "sms" | "gateway";
  start(config: Config, logger: Logger): Promise<RunningService>;
};

/** Adds --host, --port and --log-level, naming the configuration keys they override. */
export function withServeFlags(command: Command, section: ServiceSpec["section"], defaultPort: number): Command {
  return command
    .option("--host <host>", `interface to listen on (overrides config ${section}.host; default 127.0.0.1)`)
    .option("--port <n>", `port to listen on, 0 for any free one (overrides config ${section}.port; default ${defaultPort})`, parsePort)
    .addOption(new Option("--log-level <level>", "structured log lines on stderr from this level").choices(LOG_LEVELS).default("warn"));
}

/** Starts the service, prints where it listens, serves until a stop signal, then closes it. */
export async function runService(context: CliContext, spec: ServiceSpec, flags: ServeFlags, overrides: Record<string, unknown> = {}): Promise<void> {
  const { createLogger } = await import("../core/logger.ts");
  const { output } = context;
  const listen = Object.fromEntries(Object.entries({ host: flags.host, port: flags.port }).filter(([, value]) => value !== undefined));
  const config = context.configWith({ ...overrides, [spec.section]: { ...(overrides[spec.section] as object | undefined), ...listen } });
  const logger = createLogger({ name: spec.name, level: flags.logLevel, destination: output.logDestination() });
  output.status(`starting the ${spec.name} ...`);
  const section = config[spec.section];
  let running: RunningService;
  try {
    running = await spec.start(config, logger);
  } catch (error) {
    throw portFailure(error, section.host, section.port) ?? error;
  }
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= running.close());
  const signals = listenForStopSignals((signal, count) => {
    if (count === 1) output.status(`${signal}: stopping the ${spec.name} ...`);
  });
  try {
    const width = Math.max(spec.name.length, ...Object.keys(running.facts).map((key) => key.length)) + 2;
    const lines = [[spec.name, running.url], ...Object.entries(running.facts)].map(([key, value]) => `${key!.padEnd(width)}${value}`);
    output.event({ event: "listening", service: spec.name, url: running.url, ...running.facts }, lines.join("\n"));
    output.status("serving until Ctrl-C");
    await signals.first;
    await close();
    output.event({ event: "stopped", service: spec.name }, `${spec.name} stopped`);
  } finally {
    signals.dispose();
    await close();
  }
}

/** PORT_UNAVAILABLE when `error`, or what it wraps, is a failure to bind host:port; undefined otherwise. */
export function portFailure(error: unknown, host: string, port: number): CliError | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = "code" in cause ? String(cause.code) : "";
    if (code !== "EADDRINUSE" && code !== "EACCES" && code !== "EADDRNOTAVAIL") continue;
    const reason = code === "EADDRINUSE" ? "is already in use" : code === "EACCES" ? "needs more privileges" : "is not an address of this machine";
    return new CliError(
      "PORT_UNAVAILABLE",
      `Cannot listen on ${host}:${port}: the port ${reason}; choose another with --port (0 picks a free one) or --host`,
      { host, port },
      { cause: error },
    );
  }
  return undefined;
}

/** Where a service keeps its tables, for people: the PGlite folder, or the schema on the server. */
export function describeDatabase(target: DatabaseTarget): string {
  return "pgliteDir" in target ? `${target.pgliteDir} (PGlite)` : `schema ${target.schema} on the PostgreSQL server`;
}
