// The public API of the attestation module: the devnet authority and simulated platform,
// quote encoding, report data binding, freshness mechanisms and the quote verifier.
export { AttestationError, type AttestationErrorCode } from "./AttestationError.ts";
export {
  AttestationAuthority,
  type CertificateLifetime,
  type PlatformAttestationKey,
} from "./AttestationAuthority.ts";
export {
  encodeCertificate,
  parseCertificate,
  keyId,
  type Certificate,
  type CertificateUsage,
} from "./certificate.ts";
export { loadAuthority, loadPlatformKey, saveAuthority, savePlatformKey } from "./keyFiles.ts";
export {
  isDebugEnclave,
  type CertificationChain,
  type Quote,
  type QuoteHeader,
  type ReportBody,
} from "./quote.ts";
export { encodeQuote, parseQuote, QUOTE_LENGTH } from "./quoteCodec.ts";
export { verifyQuoteSignature } from "./quoteSignature.ts";
export { quoteFromBase64, quoteFromHex, quoteToBase64, quoteToHex } from "./quoteTransport.ts";
export {
  bindsEnclaveAddress,
  buildReportData,
  commitEnclaveAddress,
  reportDataBinds,
  reportDataNonce,
  NONCE_LENGTH,
} from "./reportData.ts";
export { SimulatedPlatform, type QuoteRequest } from "./SimulatedPlatform.ts";
export type { FreshnessCheck, FreshnessVerdict } from "./FreshnessCheck.ts";
export { ChallengeRegistry } from "./ChallengeRegistry.ts";
export { createTimestampedNonce, nonceIssuedAt } from "./freshnessNonce.ts";
export { ReplayWindow, type ReplayWindowOptions } from "./ReplayWindow.ts";
export type { AuthenticationRefusalReason, QuoteAuthentication, TrustedRoot } from "./TrustedRoot.ts";
export { SimulatedTrustedRoot } from "./SimulatedTrustedRoot.ts";
export {
  verifyQuote,
  type QuotePolicy,
  type QuoteRefusalReason,
  type QuoteVerification,
  type RefusedQuote,
  type VerifiedQuote,
} from "./verifyQuote.ts";
export type { BytesInput } from "./hexBytes.ts";
