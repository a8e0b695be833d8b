// `continuum keys`: the X25519 key pair a requester receives encrypted results with. The public
// key goes into request orders; the private key stays in a password-protected key file.
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import { createResultKeyFile, readKeyFilePublicInfo } from "../../crypto/index.ts";
import { withExamples, type CommandKit } from "../commandKit.ts";
import { CliError } from "../errors.ts";

export function registerKeysCommands(program: Command, kit: CommandKit): void {
  const keys = withExamples(
    program.command("keys").description("create and show the key pair encrypted task results are sent to"),
    "continuum keys create-result --out results.key.json",
    "continuum keys show-result --in results.key.json",
  );

  withExamples(
    keys
      .command("create-result")
      .description("create an X25519 result key file protected by the password and print its public key")
      .option("--out <file>", "where to write the key file (default: <data-dir>/keys/result-key.json)"),
    "CONTINUUM_PASSWORD=… continuum keys create-result --out results.key.json",
  ).action(async (options: { out?: string }, command: Command) => {
    const context = kit.contextOf(command);
    const password = await context.password();
    const path = context.resultKeyFile(options.out);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const { publicKey } = await createResultKeyFile(path, password, context.keyFileOptions());
    context.output.result({ publicKey, keyFile: path }, [
      ["public key", publicKey],
      ["key file", path],
    ]);
  });

  withExamples(
    keys
      .command("show-result")
      .description("show the public key of a result key file (needs no password)")
      .option("--in <file>", "the result key file (default: <data-dir>/keys/result-key.json)"),
    "continuum keys show-result --in results.key.json",
  ).action(async (options: { in?: string }, command: Command) => {
    const context = kit.contextOf(command);
    const path = context.resultKeyFile(options.in);
    const info = await readKeyFilePublicInfo(path);
    if (info.kind !== "result-x25519") {
      throw new CliError("WRONG_KEY_KIND", `${path} holds an account key, not a result encryption key`, { path });
    }
    context.output.result({ publicKey: info.publicKey, keyFile: path }, [
      ["public key", info.publicKey],
      ["key file", path],
    ]);
  });
}
