// Where the enclave runtime's quote comes from. On real hardware (Gramine SGX, a TDX guest) the
// quote measures what really runs, and the provider only carries the report data. On the devnet,
// the simulated platform's quoting enclave quotes the enclave runtime as loaded with the task's
// app: MRENCLAVE is the app bundle's measurement, MRSIGNER and the product the runtime's own.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import type { SimulatedQuotingEnclave } from "../src/attestation/dcap/devnet/SimulatedQuotingEnclave.ts";
import { DevnetDcap } from "../src/attestation/dcap/devnet/DevnetDcap.ts";
import {
  createQuoteProvider,
  type QuoteProvider,
  type QuoteProviderConfig,
  type QuoteProviderDependencies,
} from "../src/attestation/providers/index.ts";
import { hexToBytes } from "../src/crypto/hex.ts";

/** The attestation half of the platform the enclave runs on. */
export interface QuotingPlatform {
  /** Says where quotes come from, for logs. */
  readonly source: string;
  /** A DCAP quote of the enclave running the app measured `appMeasurement`, whose report data is `reportData` (64 bytes). */
  quote(appMeasurement: string, reportData: Uint8Array): Promise<Uint8Array>;
}

/** The enclave runtime's own identity, as the simulated platform quotes it. */
export interface EnclaveIdentity {
  /** MRSIGNER: who built the enclave runtime (32 bytes). */
  mrSigner: Uint8Array;
  isvProdId: number;
  /** Raised by the runtime's author with each security fix. */
  isvSvn: number;
}

export const DEFAULT_ENCLAVE_IDENTITY: EnclaveIdentity = {
  mrSigner: sha256(utf8ToBytes("continuum/enclave-runtime/v1")),
  isvProdId: 1,
  isvSvn: 1,
};

/** The devnet's simulated SGX platform, quoting the runtime loaded with each task's app. */
export function simulatedQuotingPlatform(
  quotingEnclave: SimulatedQuotingEnclave,
  platformName: string,
  identity: EnclaveIdentity = DEFAULT_ENCLAVE_IDENTITY,
): QuotingPlatform {
  return {
    source: `simulated devnet platform ${platformName}`,
    quote: async (appMeasurement, reportData) =>
      quotingEnclave.sgxQuote(
        { mrEnclave: hexToBytes(appMeasurement), mrSigner: identity.mrSigner, isvProdId: identity.isvProdId, isvSvn: identity.isvSvn, debug: false },
        reportData,
        { version: 3 },
      ),
  };
}

/** Real hardware: the quote measures the enclave or TD as built; the app's measurement is what the SMS will compare. */
export function hardwareQuotingPlatform(provider: QuoteProvider): QuotingPlatform {
  const described = provider.describe();
  return { source: `${described.kind} (${described.source})`, quote: (_appMeasurement, reportData) => provider.getQuote(reportData) };
}

/**
 * The platform a worker's configuration names (src/attestation/providers' format): a devnet
 * platform without a fixed workload quotes each task's app; anything else is a quote provider.
 */
export async function createQuotingPlatform(config: QuoteProviderConfig, dependencies: QuoteProviderDependencies = {}): Promise<QuotingPlatform> {
  if (config.kind === "simulated" && config.enclave === undefined && config.td === undefined) {
    const devnet = dependencies.devnet ?? (await DevnetDcap.load(config.devnetDirectory));
    return simulatedQuotingPlatform(devnet.quotingEnclave(config.platform), config.platform);
  }
  return hardwareQuotingPlatform(await createQuoteProvider(config, dependencies));
}
