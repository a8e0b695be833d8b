// The public API of the attestation module around DCAP verification (dcap/), the relying party's
// policy (policy/) and the worker's quote providers (providers/): Continuum's use of the report
// data (the enclave key and a freshness nonce) and the freshness mechanisms, challenges and
// timestamped nonces.
export { AttestationError, type AttestationErrorCode } from "./AttestationError.ts";
export {
  bindsEnclaveAddress,
  buildReportData,
  commitEnclaveAddress,
  reportDataNonce,
  NONCE_LENGTH,
} from "./reportData.ts";
export type { FreshnessCheck, FreshnessVerdict } from "./FreshnessCheck.ts";
export { ChallengeRegistry, type ChallengeLimits } from "./ChallengeRegistry.ts";
export { createTimestampedNonce, nonceIssuedAt } from "./freshnessNonce.ts";
export { ReplayWindow, type ReplayWindowOptions } from "./ReplayWindow.ts";
export type { BytesInput } from "./hexBytes.ts";
