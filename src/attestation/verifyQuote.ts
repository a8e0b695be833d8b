// Verifies a quote against Continuum's attestation policy: authenticated by the trusted root,
// not a debug enclave, recent enough security version, bound to the enclave's address, fresh.
import { getAddress } from "ethers";
import { AttestationError } from "./AttestationError.ts";
import type { FreshnessCheck } from "./FreshnessCheck.ts";
import { toHex, type Hex } from "../crypto/hex.ts";
import { isDebugEnclave } from "./quote.ts";
import { bindsEnclaveAddress, reportDataNonce } from "./reportData.ts";
import type { AuthenticationRefusalReason, TrustedRoot } from "./TrustedRoot.ts";

export interface QuotePolicy {
  trustedRoot: TrustedRoot;
  allowDebug: boolean;
  minSecurityVersion: number;
  /** The enclave identity the quote must commit to, e.g. the key named in the scheduler's authorization. */
  enclaveAddress: string;
  freshness: FreshnessCheck;
  now: Date;
}

export type QuoteRefusalReason =
  | AuthenticationRefusalReason
  | "DEBUG_ENCLAVE"
  | "SECURITY_VERSION_TOO_LOW"
  | "REPORT_DATA_MISMATCH"
  | "STALE_QUOTE"
  | "REPLAYED_QUOTE";

export interface VerifiedQuote {
  ok: true;
  measurement: Hex;
  signerMeasurement: Hex;
  productId: number;
  securityVersion: number;
  debug: boolean;
  reportData: Hex;
  nonce: Hex;
  /** Checksummed address of the enclave key the report data commits to. */
  enclaveAddress: string;
  /** sha256 of the certified platform key that signed the quote. */
  platformKeyId: Hex;
}

export interface RefusedQuote {
  ok: false;
  reason: QuoteRefusalReason;
  detail: string;
}

export type QuoteVerification = VerifiedQuote | RefusedQuote;

/**
 * Returns a refusal, never throws, for any quote bytes; throws AttestationError only when the
 * policy itself is invalid, so that a misconfiguration never passes a quote. Freshness is checked
 * last because admitting a nonce uses it up.
 */
export function verifyQuote(quoteBytes: Uint8Array, policy: QuotePolicy): QuoteVerification {
  if (!Number.isSafeInteger(policy.minSecurityVersion) || policy.minSecurityVersion < 0) {
    throw new AttestationError("INVALID_ATTESTATION_INPUT", "minSecurityVersion must be a non-negative integer");
  }
  const authentication = policy.trustedRoot.authenticateQuote(quoteBytes, policy.now);
  if (!authentication.ok) return authentication;
  const { body } = authentication;
  const debug = isDebugEnclave(body);
  if (debug && !policy.allowDebug) {
    return refuse("DEBUG_ENCLAVE", "quote comes from a debug enclave, whose memory the host can read");
  }
  if (body.securityVersion < policy.minSecurityVersion) {
    return refuse(
      "SECURITY_VERSION_TOO_LOW",
      `security version ${body.securityVersion} is below the minimum ${policy.minSecurityVersion}`,
    );
  }
  if (!bindsEnclaveAddress(body.reportData, policy.enclaveAddress)) {
    return refuse("REPORT_DATA_MISMATCH", "report data does not commit to the enclave address");
  }
  const nonce = reportDataNonce(body.reportData);
  const freshness = policy.freshness.admit(nonce, policy.now);
  if (!freshness.fresh) return refuse(freshness.reason, freshness.detail);
  return {
    ok: true,
    measurement: toHex(body.measurement),
    signerMeasurement: toHex(body.signerMeasurement),
    productId: body.productId,
    securityVersion: body.securityVersion,
    debug,
    reportData: toHex(body.reportData),
    nonce: toHex(nonce),
    enclaveAddress: getAddress(policy.enclaveAddress),
    platformKeyId: toHex(authentication.platformKeyId),
  };
}

function refuse(reason: QuoteRefusalReason, detail: string): RefusedQuote {
  return { ok: false, reason, detail };
}
