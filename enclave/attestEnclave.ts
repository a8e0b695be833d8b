// The enclave's identity for one task: a fresh secp256k1 key (so contracts can ecrecover its
// signatures) and a DCAP quote of the enclave running the task's app, whose report data commits
// to the key's address and a freshness nonce.
import { Wallet, type HDNodeWallet } from "ethers";
import { buildReportData } from "../src/attestation/reportData.ts";
import { EnclaveError } from "./EnclaveError.ts";
import type { QuotingPlatform } from "./quotingPlatform.ts";

export interface AttestedEnclave {
  wallet: HDNodeWallet;
  quote: Uint8Array;
}

/** Quotes the enclave for `nonce`: with a fresh key, or again with the key of an earlier quote of this task. */
export async function attestEnclave(
  platform: QuotingPlatform,
  appMeasurement: string,
  nonce: Uint8Array,
  wallet: HDNodeWallet = Wallet.createRandom(),
): Promise<AttestedEnclave> {
  try {
    const quote = await platform.quote(appMeasurement, buildReportData(wallet.address, nonce));
    return { wallet, quote };
  } catch (cause) {
    throw new EnclaveError("ATTESTATION_FAILED", `The platform (${platform.source}) did not produce a quote.`, undefined, { cause });
  }
}
