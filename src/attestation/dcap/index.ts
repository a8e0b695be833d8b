// The public API of Intel DCAP quote verification: the quote layout and parser, the verifier and
// its verdicts, the trusted roots, and the collateral shape and sources.
export { DcapError, type DcapErrorCode } from "./DcapError.ts";
export * from "./quoteLayout.ts";
export { parseQuote, parseSgxReport } from "./parseQuote.ts";
export { pemCertificates } from "./pem.ts";
export { parseSgxExtension, SGX_EXTENSION_OID, type SgxPckExtension } from "./sgxExtension.ts";
export { DcapVerifier, DEFAULT_CACHE_SIZES, type DcapCacheSizes, type DcapVerifierOptions } from "./DcapVerifier.ts";
export {
  DCAP_CHECKS,
  type AcceptedQuote,
  type DcapCheck,
  type DcapVerdict,
  type Hex,
  type RefusedQuote,
  type SgxMeasurement,
  type TdxMeasurement,
} from "./verdict.ts";
export { TCB_STATUSES, type TcbStatus } from "./tcbStatus.ts";
export { dcapTrustedRoot, intelSgxRoot, type DcapTrustedRoot } from "./trustedRoot.ts";
export { INTEL_SGX_ROOT_CA_PEM, INTEL_SGX_ROOT_CA_SHA256 } from "./intelRootCa.ts";
export { parseTcbInfo, type TcbInfo, type TcbLevel, type TdxModuleIdentity } from "./tcbInfo.ts";
export { parseEnclaveIdentity, type EnclaveIdentity } from "./enclaveIdentity.ts";
export {
  COLLATERAL_FIELDS,
  collateralFromJson,
  type CollateralRequest,
  type CollateralSource,
  type CollateralTeeType,
  type DcapCollateral,
  type PckCaKind,
} from "./collateral.ts";
export { collateralKey, describeCollateral, expectCollateralFor, type CollateralDescription } from "./describeCollateral.ts";
export { BundleCollateralSource } from "./BundleCollateralSource.ts";
export {
  INTEL_PCS_BASE_URL,
  INTEL_ROOT_CA_CRL_URL,
  ISSUER_CHAIN_HEADERS,
  PcsCollateralClient,
  type PcsCollateralClientOptions,
} from "./PcsCollateralClient.ts";
export { signedDocumentText, type SignedDocumentText } from "./signedResponseBody.ts";
export {
  CachingCollateralSource,
  MemoryCollateralStore,
  type CachingCollateralSourceOptions,
  type CollateralStore,
  type RefreshReport,
  type StoredCollateral,
} from "./CachingCollateralSource.ts";
