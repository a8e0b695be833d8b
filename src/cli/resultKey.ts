// The requester's result key file as the CLI uses it: its public key (no password) for request
// orders, and the private key (with the password) to decrypt downloaded results.
import { loadResultKeyFile, readKeyFilePublicInfo, type ResultKeyPair } from "../crypto/index.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";

/** The result public key as bytes32 hex, from `named` or `<dataDir>/keys/result-key.json`. */
export async function readResultPublicKey(context: CliContext, named: string | undefined): Promise<string> {
  const path = context.resultKeyFile(named);
  const info = await explainMissing(path, readKeyFilePublicInfo(path));
  if (info.kind !== "result-x25519") {
    throw new CliError("WRONG_KEY_KIND", `${path} holds an account key, not a result encryption key`, { path });
  }
  return info.publicKey.toLowerCase();
}

export async function loadResultKey(context: CliContext, named: string | undefined): Promise<ResultKeyPair> {
  const path = context.resultKeyFile(named);
  await readResultPublicKey(context, named);
  return loadResultKeyFile(path, await context.password());
}

async function explainMissing<T>(path: string, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (!(error instanceof Error) || !("code" in error) || error.code !== "KEY_FILE_NOT_FOUND") throw error;
    throw new CliError("KEY_FILE_NOT_FOUND", `No result key file at ${path}: create one with \`continuum keys create-result\` or pass --result-key`, {
      path,
    });
  }
}
