// What command modules need from the program: the context of the command being run, and a
// consistent "Examples" section for --help.
import type { Command } from "commander";
import type { CliContext } from "./context.ts";

export type CommandKit = {
  /** The context for `command`, built from its options and every ancestor's (the global options). */
  contextOf(command: Command): CliContext;
};

/**
 * Registers more commands on the program after the client commands: how the service commands
 * (src/serve/) join the `continuum` program without the client importing a server.
 */
export type ProgramExtension = (program: Command, kit: CommandKit) => void;

/** Appends an "Examples:" section to the command's --help. */
export function withExamples(command: Command, ...examples: string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${examples.map((example) => `  $ ${example}`).join("\n")}`);
}
