// The account key file a command acts with (--key-file, CONTINUUM_KEY_FILE or the data dir's
// default): its address without the password, or the signing wallet with it.
import type { Wallet } from "ethers";
import { loadEthereumKeyFile, readKeyFilePublicInfo } from "../crypto/index.ts";
import { isContinuumError } from "../core/ContinuumError.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";

/** The account's address, read from the key file's public part; needs no password. */
export async function readAccountAddress(context: CliContext): Promise<string> {
  const path = context.walletKeyFile();
  const info = await explainMissing(path, readKeyFilePublicInfo(path));
  if (info.kind !== "ethereum") {
    throw new CliError("WRONG_KEY_KIND", `${path} holds a result encryption key, not an account key`, { path });
  }
  return info.address;
}

/** The account's wallet, opened with the password (CONTINUUM_PASSWORD or --password-file). */
export async function loadAccountWallet(context: CliContext): Promise<Wallet> {
  const path = context.walletKeyFile();
  return explainMissing(path, context.password().then((password) => loadEthereumKeyFile(path, password)));
}

async function explainMissing<T>(path: string, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (!isContinuumError(error) || error.code !== "KEY_FILE_NOT_FOUND") throw error;
    throw new CliError(
      "KEY_FILE_NOT_FOUND",
      `No account key file at ${path}: create one with \`continuum wallet create\` or pass --key-file`,
      { path },
    );
  }
}
