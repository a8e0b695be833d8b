// Verifies each piece of collateral once per byte string and keeps the result: CRLs (parsed,
// signed by their issuer) and signed documents (parsed, signature by a signing chain to the
// root). Validity windows are left to the caller, who judges them on every quote.
import { BoundedMap } from "../../core/bounded.ts";
import type { CertificateCache, DcapCertificate } from "./certificate.ts";
import { verifySigningChain, type ChainVerification, type SigningChain } from "./certificateChain.ts";
import { isCrlIssuedBy, parseCrl, type DcapCrl } from "./crl.ts";
import { DcapError, type DcapErrorCode } from "./DcapError.ts";
import { verifyP256Raw } from "./p256.ts";
import type { DcapTrustedRoot } from "./trustedRoot.ts";

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string; code: DcapErrorCode };

/** A CRL with the issuers whose signature on it has been verified (certificates from the chain caches). */
export interface CrlEntry {
  crl: DcapCrl;
  signedBy: WeakMap<DcapCertificate, boolean>;
}

/** A signed JSON document (TCB info, QE identity) and the verdicts on its signature per chain and signature. */
interface DocumentEntry<T> {
  parsed: Parsed<T>;
  signatures: BoundedMap<string, BoundedMap<string, boolean>>;
}

export interface CollateralCacheSizes {
  /** Distinct CRLs kept (root CA and PCK CRLs, several generations). */
  crls: number;
  /** Distinct TCB info and QE identity texts kept, per kind. */
  documents: number;
  /** Distinct signing chains kept. */
  signingChains: number;
}

export class CollateralVerification {
  readonly #root: DcapTrustedRoot;
  readonly #certificates: CertificateCache;
  readonly #crls: BoundedMap<string, Parsed<CrlEntry>>;
  readonly #signingChains: BoundedMap<string, ChainVerification<SigningChain>>;
  readonly #documents = new Map<string, BoundedMap<string, DocumentEntry<unknown>>>();
  readonly #sizes: CollateralCacheSizes;

  constructor(root: DcapTrustedRoot, certificates: CertificateCache, sizes: CollateralCacheSizes) {
    this.#root = root;
    this.#certificates = certificates;
    this.#sizes = sizes;
    this.#crls = new BoundedMap(sizes.crls);
    this.#signingChains = new BoundedMap(sizes.signingChains);
  }

  /** The CRL in `hex` (DER), parsed once. */
  crl(hex: string, what: string): Parsed<CrlEntry> {
    let entry = this.#crls.get(hex);
    if (!entry) {
      entry = parseOnce(() => {
        if (!HEX.test(hex)) throw new DcapError("MALFORMED_CRL", `the ${what} is not hex`);
        return { crl: parseCrl(Buffer.from(hex, "hex"), what), signedBy: new WeakMap<DcapCertificate, boolean>() };
      });
      this.#crls.set(hex, entry);
    }
    return entry;
  }

  /** Whether `issuer` signed the CRL, verified once per issuer certificate. */
  isCrlSignedBy(entry: CrlEntry, issuer: DcapCertificate): boolean {
    let signed = entry.signedBy.get(issuer);
    if (signed === undefined) {
      signed = isCrlIssuedBy(entry.crl, issuer);
      entry.signedBy.set(issuer, signed);
    }
    return signed;
  }

  signingChain(pem: string, what: string): ChainVerification<SigningChain> {
    let verified = this.#signingChains.get(pem);
    if (!verified) {
      verified = verifySigningChain(pem, this.#root, this.#certificates, what);
      this.#signingChains.set(pem, verified);
    }
    return verified;
  }

  /** The document `text` of `kind`, parsed once by `parse`. */
  document<T>(kind: string, text: string, parse: (text: string) => T): DocumentEntry<T> {
    let documents = this.#documents.get(kind);
    if (!documents) {
      documents = new BoundedMap(this.#sizes.documents);
      this.#documents.set(kind, documents);
    }
    let entry = documents.get(text) as DocumentEntry<T> | undefined;
    if (!entry) {
      entry = { parsed: parseOnce(() => parse(text)), signatures: new BoundedMap(4) };
      documents.set(text, entry);
    }
    return entry;
  }

  /** Whether `signatureHex` (r ‖ s) is the signer's over the document text, verified once per (signature, chain). */
  isDocumentSignedBy<T>(entry: DocumentEntry<T>, text: string, signatureHex: string, chainPem: string, signer: DcapCertificate): boolean {
    let byChain = entry.signatures.get(signatureHex);
    if (!byChain) {
      byChain = new BoundedMap(4);
      entry.signatures.set(signatureHex, byChain);
    }
    let signed = byChain.get(chainPem);
    if (signed === undefined) {
      signed = /^[0-9a-fA-F]{128}$/.test(signatureHex) && verifyP256Raw(signer.publicKey, Buffer.from(text, "utf8"), Buffer.from(signatureHex, "hex"));
      byChain.set(chainPem, signed);
    }
    return signed;
  }
}

function parseOnce<T>(parse: () => T): Parsed<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (!(error instanceof DcapError)) throw error;
    return { ok: false, detail: error.message, code: error.code };
  }
}

