// The `continuum` command tree: global options shared by every command, and one group of
// commands per role's concern, each registered from its own module.
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { parseScryptLogN } from "./arguments.ts";
import { withExamples, type CommandKit, type ProgramExtension } from "./commandKit.ts";
import { CliContext, type ContextInputs, type GlobalOptions } from "./context.ts";
import { registerAppCommands } from "./commands/app.ts";
import { registerAttestationCommands } from "./commands/attestation.ts";
import { registerAuditCommands } from "./commands/audit.ts";
import { registerDatasetCommands } from "./commands/dataset.ts";
import { registerEscrowCommands } from "./commands/escrow.ts";
import { registerKeysCommands } from "./commands/keys.ts";
import { registerProtocolCommands } from "./commands/protocol.ts";
import { registerReputationCommand } from "./commands/reputation.ts";
import { registerRequestCommands } from "./commands/request.ts";
import { registerPipelineCommands } from "./commands/pipeline.ts";
import { registerResultCommands } from "./commands/result.ts";
import { registerWalletCommands } from "./commands/wallet.ts";
import { registerWorkerCommands } from "./commands/worker.ts";
import { registerWorkerpoolCommands } from "./commands/workerpool.ts";

const PACKAGE_FILE = new URL("../../package.json", import.meta.url);
const PACKAGE_VERSION: string = JSON.parse(readFileSync(PACKAGE_FILE, "utf8")).version;

/** The `continuum` program: every client command, then what `extensions` add (the service commands). */
export function buildProgram(inputs: ContextInputs, extensions: readonly ProgramExtension[] = []): Command {
  const program = new Command("continuum")
    .description("Continuum: confidential compute and data marketplace for smart cities, from the terminal")
    .version(PACKAGE_VERSION, "-V, --version", "print the version")
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: inputs.io.stdout,
      writeErr: inputs.io.stderr,
      // main.ts reports usage errors in the CLI's own `error [CODE]: …` format.
      outputError: () => undefined,
    })
    .option("--json", "print one JSON document instead of human output; silences progress")
    .option("--config <file>", "JSON configuration file (see README, Configuration)")
    .option("--data-dir <dir>", "data directory holding deployment.json, keys/ and ipfs/ (default .continuum)")
    .option("--rpc-url <url>", "JSON-RPC node (default: the one recorded in deployment.json by `npm start`)")
    .option("--key-file <file>", "account key file (default: CONTINUUM_KEY_FILE, or <data-dir>/keys/wallet.json)")
    .option("--password-file <file>", "file whose first line is the key file password (default: CONTINUUM_PASSWORD)")
    .option("--market-url <url>", "market API (default: CONTINUUM_MARKET_URL, or http://<market.host>:<market.port>)")
    .option("--sms-url <url>", "secret management service; a worker takes its replicas' URLs comma-separated (default: CONTINUUM_SMS_URL, or http://<sms.host>:<sms.port>)")
    .addOption(
      new Option("--scrypt-log-n <n>", "scrypt cost of new key files, for tests").argParser(parseScryptLogN).hideHelp(),
    );
  withExamples(
    program,
    "continuum wallet create",
    "continuum escrow deposit 100",
    "continuum --json workerpool show 1",
  ).addHelpText(
    "afterAll",
    "\nPasswords come from CONTINUUM_PASSWORD or --password-file and are never printed.\n" +
      "Errors print one line `error [CODE]: message` on stderr; the exit code is 1, or 2 for a bad command line.\n",
  );

  const kit: CommandKit = {
    contextOf: (command) => new CliContext(command.optsWithGlobals<GlobalOptions>(), inputs),
  };
  registerWalletCommands(program, kit);
  registerKeysCommands(program, kit);
  registerEscrowCommands(program, kit);
  registerWorkerpoolCommands(program, kit);
  registerWorkerCommands(program, kit);
  registerAppCommands(program, kit);
  registerDatasetCommands(program, kit);
  registerRequestCommands(program, kit);
  registerPipelineCommands(program, kit);
  registerResultCommands(program, kit);
  registerReputationCommand(program, kit);
  registerAuditCommands(program, kit);
  registerAttestationCommands(program, kit);
  registerProtocolCommands(program, kit);
  for (const extend of extensions) extend(program, kit);
  return program;
}
