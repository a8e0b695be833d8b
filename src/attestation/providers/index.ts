// The worker's quote providers: the interface, its three implementations and their configuration.
export type { QuoteProvider, QuoteProviderDescription, QuoteProviderKind, QuoteProviderTee } from "./QuoteProvider.ts";
export { REPORT_DATA_LENGTH } from "./QuoteProvider.ts";
export { QuoteProviderError, type QuoteProviderErrorCode } from "./QuoteProviderError.ts";
export { nodeAttestationFileSystem, type AttestationFileSystem } from "./attestationFileSystem.ts";
export { SimulatedQuoteProvider, type SimulatedQuoteProviderOptions, type SimulatedWorkload } from "./SimulatedQuoteProvider.ts";
export { GRAMINE_ATTESTATION_DIRECTORY, GramineSgxQuoteProvider, type GramineSgxOptions } from "./GramineSgxQuoteProvider.ts";
export {
  CONFIGFS_TSM_REPORT_DIRECTORY,
  ConfigfsTsmQuoteProvider,
  TDX_GUEST_PROVIDER,
  type ConfigfsTsmOptions,
} from "./ConfigfsTsmQuoteProvider.ts";
export {
  createQuoteProvider,
  parseQuoteProviderConfig,
  type QuoteProviderConfig,
  type QuoteProviderDependencies,
} from "./quoteProviderConfig.ts";
