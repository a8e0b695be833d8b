// Password-protected key files for the secp256k1 wallet each role signs with (orders, transactions):
// create from a fresh or imported private key, and load as an ethers Wallet.
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { Wallet, computeAddress } from "ethers";
import { CryptoError } from "../errors.ts";
import { parseFixedHex, toHex } from "../hex.ts";
import { inconsistentKeyFileError, readSecretKey, writeNewKeyFile, type KeyFileOptions } from "./keyFileAccess.ts";
import { SECRET_KEY_BYTES } from "./keyFileFormat.ts";

export type EthereumKeyFileOptions = KeyFileOptions & {
  /** An existing private key (0x + 64 hex digits) to protect instead of generating one. */
  privateKey?: string;
};

export type EthereumKeyInfo = { kind: "ethereum"; address: string };

/** Creates a wallet key file at `path` (mode 0600, never overwriting) and returns its address. */
export async function createEthereumKeyFile(
  path: string,
  password: string,
  options: EthereumKeyFileOptions = {},
): Promise<EthereumKeyInfo> {
  const secretKey =
    options.privateKey === undefined ? secp256k1.utils.randomSecretKey() : parsePrivateKey(options.privateKey);
  const publicInfo = { kind: "ethereum" as const, address: computeAddress(toHex(secretKey)) };
  try {
    await writeNewKeyFile(path, password, secretKey, publicInfo, options);
  } finally {
    secretKey.fill(0);
  }
  return publicInfo;
}

export async function loadEthereumKeyFile(path: string, password: string): Promise<Wallet> {
  const { publicInfo, secretKey } = await readSecretKey(path, password, "ethereum");
  const wallet = new Wallet(toHex(secretKey));
  secretKey.fill(0);
  if (wallet.address.toLowerCase() !== publicInfo.address.toLowerCase()) {
    throw inconsistentKeyFileError(path);
  }
  return wallet;
}

function parsePrivateKey(privateKey: string): Uint8Array {
  const bytes = parseFixedHex(privateKey, SECRET_KEY_BYTES);
  if (bytes === undefined || !secp256k1.utils.isValidSecretKey(bytes)) {
    throw new CryptoError("BAD_PRIVATE_KEY", "A wallet private key is 0x + 64 hex digits, a valid secp256k1 scalar.");
  }
  return bytes;
}
