// `continuum wallet`: the account's secp256k1 key file, created fresh or from an existing private
// key, protected by a password; `show` reads the address without the password.
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import { createEthereumKeyFile } from "../../crypto/index.ts";
import { readAccountAddress } from "../accountKey.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import type { CliContext } from "../context.ts";
import { CliError } from "../errors.ts";

export function registerWalletCommands(program: Command, kit: CommandKit): void {
  const wallet = withExamples(
    program
      .command("wallet")
      .description("create, import and show the account key file you sign transactions and orders with"),
    "continuum wallet create --out alice.key.json",
    "continuum wallet show --key-file alice.key.json",
  );

  withExamples(
    wallet
      .command("create")
      .description("create a new account key file protected by the password (CONTINUUM_PASSWORD or --password-file)")
      .option("--out <file>", "where to write the key file (default: --key-file, or <data-dir>/keys/wallet.json)"),
    "CONTINUUM_PASSWORD=… continuum wallet create --out alice.key.json",
  ).action(async (options: { out?: string }, command: Command) => {
    const context = kit.contextOf(command);
    const password = await context.password();
    const path = await keyFileTarget(context, options.out);
    const { address } = await createEthereumKeyFile(path, password, context.keyFileOptions());
    context.output.result({ address, keyFile: path }, [
      ["address", address],
      ["key file", path],
    ]);
  });

  withExamples(
    wallet
      .command("import")
      .description("protect an existing private key (0x + 64 hex digits, read from a file) in a new key file")
      .requiredOption("--private-key-file <file>", "file holding the private key; it is read, never printed")
      .option("--out <file>", "where to write the key file (default: --key-file, or <data-dir>/keys/wallet.json)"),
    "CONTINUUM_PASSWORD=… continuum wallet import --private-key-file ./pk.txt --out alice.key.json",
  ).action(async (options: { privateKeyFile: string; out?: string }, command: Command) => {
    const context = kit.contextOf(command);
    const password = await context.password();
    const privateKey = await readPrivateKey(context.resolvePath(options.privateKeyFile));
    const path = await keyFileTarget(context, options.out);
    const { address } = await createEthereumKeyFile(path, password, { ...context.keyFileOptions(), privateKey });
    context.output.result({ address, keyFile: path }, [
      ["address", address],
      ["key file", path],
    ]);
  });

  withExamples(
    wallet.command("show").description("show the address of the account key file (needs no password)"),
    "continuum wallet show --key-file alice.key.json",
    "continuum --json wallet show",
  ).action(async (_options: unknown, command: Command) => {
    const context = kit.contextOf(command);
    const address = await readAccountAddress(context);
    const path = context.walletKeyFile();
    context.output.result({ address, keyFile: path }, [
      ["address", address],
      ["key file", path],
    ]);
  });
}

/** The path a new key file goes to, with its folder created (owner-only when new). */
async function keyFileTarget(context: CliContext, out: string | undefined): Promise<string> {
  const path = out !== undefined ? context.resolvePath(out) : context.walletKeyFile();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  return path;
}

async function readPrivateKey(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new CliError("PRIVATE_KEY_FILE_UNREADABLE", "Cannot read the private key file", { path }, { cause });
  }
  const key = text.trim();
  return /^[0-9a-fA-F]{64}$/.test(key) ? `0x${key}` : key;
}
