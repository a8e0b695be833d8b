// The trust boundary of quote verification: a root that parses its own quote format and
// authenticates a quote's signature and certification chain up to itself.
//
// verifyQuote applies Continuum's policy (debug, security version, report data, freshness) to
// the authenticated SGX report body and knows nothing else about the quote. Trusting real
// hardware is another TrustedRoot (an Intel DCAP quote parser with Intel's SGX root CA); the
// protocol and the policy checks stay as they are.
import type { ReportBody } from "./quote.ts";

export type AuthenticationRefusalReason =
  | "MALFORMED_QUOTE"
  | "UNTRUSTED_ROOT"
  | "BAD_CERT_CHAIN"
  | "CERT_EXPIRED"
  | "CERT_NOT_YET_VALID"
  | "BAD_QUOTE_SIGNATURE";

export type QuoteAuthentication =
  | { ok: true; body: ReportBody; platformKeyId: Uint8Array }
  | { ok: false; reason: AuthenticationRefusalReason; detail: string };

export interface TrustedRoot {
  /** Parses `quoteBytes` and checks, at `now`, that a platform certified by this root signed them. */
  authenticateQuote(quoteBytes: Uint8Array, now: Date): QuoteAuthentication;
}
