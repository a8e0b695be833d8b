// Runs the CLI once: parses the command line, runs the command, and reports any failure as one
// line on stderr (or one JSON document with --json), returning the process exit code.
import { CommanderError } from "commander";
import type { ContinuumError } from "../core/ContinuumError.ts";
import type { ProgramExtension } from "./commandKit.ts";
import type { ContextInputs } from "./context.ts";
import { EXIT_USAGE, UsageError, exitCodeOf, formatErrorJson, formatErrorLine, toContinuumError } from "./errors.ts";
import { buildProgram } from "./program.ts";

/** Runs `continuum <argv>` and resolves to the exit code; never throws. */
export async function runCli(argv: readonly string[], inputs: ContextInputs, extensions: readonly ProgramExtension[] = []): Promise<number> {
  const json = argv.includes("--json");
  const report = (error: ContinuumError) =>
    inputs.io.stderr(`${json ? formatErrorJson(error) : formatErrorLine(error)}\n`);
  try {
    await buildProgram(inputs, extensions).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error, report);
    const failure = toContinuumError(error);
    report(failure);
    return exitCodeOf(failure);
  }
}

function commanderExit(error: CommanderError, report: (error: ContinuumError) => void): number {
  if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
  // A command group run without a subcommand: commander already printed its help to stderr.
  if (error.code === "commander.help") return error.exitCode === 0 ? 0 : EXIT_USAGE;
  const message = error.message.replace(/^error: /, "");
  report(new UsageError("USAGE", `${message} (see --help)`, { reason: error.code.replace(/^commander\./, "") }));
  return EXIT_USAGE;
}
