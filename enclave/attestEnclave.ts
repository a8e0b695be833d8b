// The enclave's identity for one task: a fresh secp256k1 key (so contracts can ecrecover its
// signatures) and a quote whose measurement is the loaded bundle's and whose report data commits
// to the key's address and a freshness nonce.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { Wallet, type HDNodeWallet } from "ethers";
import { buildReportData, type BytesInput, type QuoteRequest } from "../src/attestation/index.ts";
import { EnclaveError } from "./EnclaveError.ts";

/** The fields of the quote that describe the enclave runtime itself rather than the app. */
/** The attestation half of a platform: SimulatedPlatform here, real quoting hardware later. */
export interface QuotingPlatform {
  createQuote(request: QuoteRequest): Uint8Array;
}

export interface EnclaveIdentity {
  /** MRSIGNER: who built the enclave runtime. */
  signerMeasurement: BytesInput;
  productId: number;
  securityVersion: number;
}

export const DEFAULT_ENCLAVE_IDENTITY: EnclaveIdentity = {
  signerMeasurement: sha256(utf8ToBytes("continuum/enclave-runtime/v1")),
  productId: 1,
  securityVersion: 1,
};

export interface AttestedEnclave {
  wallet: HDNodeWallet;
  quote: Uint8Array;
}

export function attestEnclave(
  platform: QuotingPlatform,
  identity: EnclaveIdentity,
  measurement: string,
  nonce: Uint8Array,
): AttestedEnclave {
  const wallet = Wallet.createRandom();
  try {
    const quote = platform.createQuote({
      measurement,
      signerMeasurement: identity.signerMeasurement,
      productId: identity.productId,
      securityVersion: identity.securityVersion,
      debug: false,
      reportData: buildReportData(wallet.address, nonce),
    });
    return { wallet, quote };
  } catch (cause) {
    throw new EnclaveError("ATTESTATION_FAILED", "The platform did not produce a quote.", undefined, { cause });
  }
}
