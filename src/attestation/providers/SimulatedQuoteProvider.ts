// Quotes from a devnet platform's simulated quoting enclave, for one enclave or trust domain
// identity: real-format DCAP quotes under the devnet root, for workers without SGX or TDX.
import type { SgxEnclaveIdentity, SimulatedQuotingEnclave, TdIdentity } from "../dcap/devnet/SimulatedQuotingEnclave.ts";
import { checkReportData } from "./deviceFailure.ts";
import type { QuoteProvider, QuoteProviderDescription, QuoteProviderTee } from "./QuoteProvider.ts";
import { QuoteProviderError } from "./QuoteProviderError.ts";

/** What runs on the simulated platform: an SGX enclave (quote version 3 unless given) or a TD. */
export type SimulatedWorkload = { tee: "sgx"; enclave: SgxEnclaveIdentity; quoteVersion?: 3 | 4 } | { tee: "tdx"; td: TdIdentity };

export interface SimulatedQuoteProviderOptions {
  quotingEnclave: SimulatedQuotingEnclave;
  /** The devnet platform's name, for describe(). */
  platform: string;
  workload: SimulatedWorkload;
}

export class SimulatedQuoteProvider implements QuoteProvider {
  readonly kind = "simulated" as const;
  readonly tee: QuoteProviderTee;
  readonly #options: SimulatedQuoteProviderOptions;

  /** Throws QuoteProviderError("INVALID_CONFIGURATION") when the workload is of another TEE than the platform. */
  constructor(options: SimulatedQuoteProviderOptions) {
    if (options.workload.tee !== options.quotingEnclave.tee) {
      throw new QuoteProviderError(
        "INVALID_CONFIGURATION",
        `platform "${options.platform}" is ${options.quotingEnclave.tee.toUpperCase()}, the workload ${options.workload.tee.toUpperCase()}`,
      );
    }
    this.tee = options.quotingEnclave.tee;
    this.#options = options;
  }

  describe(): QuoteProviderDescription {
    return { kind: this.kind, tee: this.tee, source: `devnet platform ${this.#options.platform}` };
  }

  async getQuote(reportData: Uint8Array): Promise<Uint8Array> {
    checkReportData(reportData);
    const { quotingEnclave, workload } = this.#options;
    return workload.tee === "sgx"
      ? quotingEnclave.sgxQuote(workload.enclave, reportData.slice(), { version: workload.quoteVersion ?? 3 })
      : quotingEnclave.tdxQuote(workload.td, reportData.slice());
  }
}
