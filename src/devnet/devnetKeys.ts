// The devnet's well-known test keys: Hardhat's node derives its funded accounts from this public
// mnemonic, so services started beside it (the matcher, a scheduler) can sign with them. Never
// use them anywhere but a local devnet.
import { HDNodeWallet, Mnemonic } from "ethers";

/** Public: every Hardhat install derives the same accounts from it. */
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

/** The private key (0x-prefixed hex) of Hardhat's test account `index` (0 to 19). */
export function devnetPrivateKey(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 19) throw new RangeError(`devnet accounts are numbered 0 to 19, got ${index}`);
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEVNET_MNEMONIC), `m/44'/60'/0'/0/${index}`).privateKey;
}

/** Account of the market's matcher on the devnet (outside the ten funded role accounts). */
export const DEVNET_MATCHER_ACCOUNT = 19;
