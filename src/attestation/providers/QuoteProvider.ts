// The worker's source of attestation quotes: one interface, whatever produces the quote (the
// devnet's simulated quoting enclave, Gramine's /dev/attestation, the kernel's configfs-tsm).
export type QuoteProviderKind = "simulated" | "gramine-sgx" | "configfs-tsm";
export type QuoteProviderTee = "sgx" | "tdx";

/** What a provider tells logs and the scheduler about itself; never secrets. */
export interface QuoteProviderDescription {
  kind: QuoteProviderKind;
  tee: QuoteProviderTee;
  /** Where quotes come from: a devnet platform name, a directory of the attestation interface. */
  source: string;
}

export interface QuoteProvider {
  readonly kind: QuoteProviderKind;
  readonly tee: QuoteProviderTee;
  describe(): QuoteProviderDescription;
  /**
   * A DCAP quote whose report data is `reportData` (exactly 64 bytes). Rejects with
   * QuoteProviderError, whose code names the failure (DEVICE_MISSING, WRONG_PROVIDER, ...).
   */
  getQuote(reportData: Uint8Array): Promise<Uint8Array>;
}

export const REPORT_DATA_LENGTH = 64;
