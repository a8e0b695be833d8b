// The platform attestation key's signature over a quote's header and report body: producing
// it on the platform, and the single raw P-256 verification a verifier (or a benchmark) runs.
import { p256 } from "@noble/curves/nist.js";
import { rawToSec1PublicKey } from "./attestationKeyEncoding.ts";
import { verifyP256 } from "./p256Verify.ts";
import { encodeSignedRegion } from "./quoteCodec.ts";
import type { Quote, QuoteHeader, ReportBody } from "./quote.ts";

export function signQuote(header: QuoteHeader, body: ReportBody, attestationSecretKey: Uint8Array): Uint8Array {
  return p256.sign(encodeSignedRegion(header, body), attestationSecretKey);
}

/**
 * Whether `quote.signature` is a valid P-256 signature by `quote.attestationPublicKey` over the
 * header and report body. It says nothing about whether that key is certified: see the trusted root.
 */
export function verifyQuoteSignature(quote: Quote): boolean {
  const publicKey = rawToSec1PublicKey(quote.attestationPublicKey);
  return verifyP256(quote.signature, encodeSignedRegion(quote.header, quote.body), publicKey);
}
