// The TrustedRoot for simulated quotes: a pinned devnet root certificate, the compact chain
// (platform certificate signed by that root) and the platform key's P-256 quote signature.
import { bytesToHex, equalBytes } from "@noble/curves/utils.js";
import { BoundedSet } from "../core/bounded.ts";
import { AttestationError } from "./AttestationError.ts";
import { compressRawPublicKey } from "./attestationKeyEncoding.ts";
import { encodeCertificate, keyId, parseCertificate, type Certificate } from "./certificate.ts";
import { isSignedBy } from "./certificateSigning.ts";
import { parseHex } from "./hexBytes.ts";
import type { Quote } from "./quote.ts";
import { parseQuote } from "./quoteCodec.ts";
import { verifyQuoteSignature } from "./quoteSignature.ts";
import type { AuthenticationRefusalReason, QuoteAuthentication, TrustedRoot } from "./TrustedRoot.ts";
import { unixSeconds } from "./unixSeconds.ts";

/** Platform certificates remembered as issued by the root; the oldest is dropped beyond this many. */
const CERTIFIED_PLATFORMS_KEPT = 1_024;

export class SimulatedTrustedRoot implements TrustedRoot {
  readonly #rootCertificateBytes: Uint8Array;
  /**
   * Encoded platform certificates whose root signature verified. A certificate's bytes and the
   * root decide that signature, so it is checked once per platform rather than once per quote;
   * validity dates and the quote's own signature are still checked on every quote.
   */
  readonly #certifiedPlatforms = new BoundedSet<string>(CERTIFIED_PLATFORMS_KEPT);

  private constructor(rootCertificateBytes: Uint8Array) {
    this.#rootCertificateBytes = rootCertificateBytes;
  }

  /**
   * Trusts the root certificate given as hex (AttestationAuthority.trustedRootHex). Throws
   * AttestationError("INVALID_TRUSTED_ROOT") unless it is a self-signed root certificate.
   */
  static fromHex(rootCertificateHex: string): SimulatedTrustedRoot {
    const bytes = parseHex(rootCertificateHex, "trustedRoot", "INVALID_TRUSTED_ROOT");
    const root = parseRootCertificate(bytes);
    if (root.usage !== "root" || !isSignedBy(root, root.subjectPublicKey)) {
      throw new AttestationError("INVALID_TRUSTED_ROOT", "trusted root must be a self-signed root certificate");
    }
    return new SimulatedTrustedRoot(bytes);
  }

  authenticateQuote(quoteBytes: Uint8Array, now: Date): QuoteAuthentication {
    let quote: Quote;
    try {
      quote = parseQuote(quoteBytes);
    } catch (error) {
      if (error instanceof AttestationError) return refuse("MALFORMED_QUOTE", error.message);
      throw error;
    }
    const { platform, root } = quote.certificationChain;
    if (!equalBytes(encodeCertificate(root), this.#rootCertificateBytes)) {
      return refuse("UNTRUSTED_ROOT", "the quote's chain ends at a root this verifier does not trust");
    }
    if (!this.#isCertifiedPlatform(platform, root)) {
      return refuse("BAD_CERT_CHAIN", "platform certificate is not issued by the trusted root");
    }
    const expired = validityRefusal(root, "root", now) ?? validityRefusal(platform, "platform", now);
    if (expired) return expired;
    if (!equalBytes(compressRawPublicKey(quote.attestationPublicKey), platform.subjectPublicKey)) {
      return refuse("BAD_CERT_CHAIN", "the quote's attestation key is not the certified platform key");
    }
    if (!verifyQuoteSignature(quote)) {
      return refuse("BAD_QUOTE_SIGNATURE", "quote signature does not verify under the platform key");
    }
    return { ok: true, body: quote.body, platformKeyId: keyId(platform.subjectPublicKey) };
  }

  /** Whether `platform` is a platform certificate carrying the (trusted) root's valid signature. */
  #isCertifiedPlatform(platform: Certificate, root: Certificate): boolean {
    if (platform.usage !== "platform") return false;
    const encoded = bytesToHex(encodeCertificate(platform));
    if (this.#certifiedPlatforms.has(encoded)) return true;
    if (!isSignedBy(platform, root.subjectPublicKey)) return false;
    this.#certifiedPlatforms.add(encoded);
    return true;
  }
}

function parseRootCertificate(bytes: Uint8Array): Certificate {
  try {
    return parseCertificate(bytes);
  } catch (error) {
    throw new AttestationError("INVALID_TRUSTED_ROOT", "trusted root is not an encoded certificate", undefined, {
      cause: error,
    });
  }
}

function validityRefusal(certificate: Certificate, name: string, now: Date): QuoteAuthentication | undefined {
  const nowSeconds = unixSeconds(now);
  if (nowSeconds < certificate.notBefore) return refuse("CERT_NOT_YET_VALID", `${name} certificate is not valid yet`);
  if (nowSeconds > certificate.notAfter) return refuse("CERT_EXPIRED", `${name} certificate has expired`);
  return undefined;
}

function refuse(reason: AuthenticationRefusalReason, detail: string): QuoteAuthentication {
  return { ok: false, reason, detail };
}
