// A parsed certificate revocation list: issuer, update window and revoked serials, with its
// ECDSA-SHA256 signature checked against a candidate issuer by Node's OpenSSL binding.
import { verify } from "node:crypto";
import { normalisedSerial, type DcapCertificate } from "./certificate.ts";
import { DER_TAG, DerReader } from "./der.ts";
import { DcapError } from "./DcapError.ts";
import { X509Crl } from "./x509.ts";

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
/** Intel's CRLs list tens of entries; the bound keeps a forged CRL from costing more than a few ms. */
export const MAX_CRL_ENTRIES = 100_000;

export interface DcapCrl {
  der: Uint8Array;
  issuer: string;
  thisUpdate: number;
  /** A CRL without nextUpdate is refused when parsed: its freshness could not be judged. */
  nextUpdate: number;
  revokedSerials: ReadonlySet<string>;
  tbs: Uint8Array;
  signature: Uint8Array;
}

/** Parses a DER CRL signed with ECDSA-SHA256; throws DcapError("MALFORMED_CRL"). */
export function parseCrl(der: Uint8Array, what: string): DcapCrl {
  const { tbs, signature } = signedParts(der, what);
  let crl: DcapCrl;
  try {
    // The library decodes some fields lazily: every read happens inside this try.
    const parsed = new X509Crl(der);
    const entries = parsed.entries;
    if (entries.length > MAX_CRL_ENTRIES) throw new DcapError("MALFORMED_CRL", `${what} has too many entries`, { what });
    crl = {
      der,
      issuer: parsed.issuer,
      thisUpdate: parsed.thisUpdate.getTime(),
      nextUpdate: parsed.nextUpdate?.getTime() ?? Number.NaN,
      revokedSerials: new Set(entries.map((entry) => normalisedSerial(entry.serialNumber))),
      tbs,
      signature,
    };
  } catch (error) {
    if (error instanceof DcapError) throw error;
    throw new DcapError("MALFORMED_CRL", `${what} is not a CRL`, { what }, { cause: error });
  }
  // A CRL without nextUpdate could never be judged stale.
  if (!Number.isFinite(crl.thisUpdate) || !Number.isFinite(crl.nextUpdate)) {
    throw new DcapError("MALFORMED_CRL", `${what} has no valid thisUpdate and nextUpdate`, { what });
  }
  return crl;
}

/** Whether `issuer` signed `crl` (names and signature). */
export function isCrlIssuedBy(crl: DcapCrl, issuer: DcapCertificate): boolean {
  if (crl.issuer !== issuer.subject) return false;
  try {
    return verify("sha256", crl.tbs, issuer.publicKey, crl.signature);
  } catch {
    return false;
  }
}

export function isRevoked(crl: DcapCrl, certificate: DcapCertificate): boolean {
  return crl.revokedSerials.has(certificate.serial);
}

/** The signed part, algorithm and DER signature of a CRL, read by hand: X.509 libraries keep them private. */
function signedParts(der: Uint8Array, what: string): { tbs: Uint8Array; signature: Uint8Array } {
  const reader = new DerReader(der, "MALFORMED_CRL", what);
  const outer = reader.expectTag(reader.element(0), DER_TAG.SEQUENCE, what);
  if (outer.end !== der.length) reader.fail("trailing bytes");
  const [tbs, algorithm, signatureBits, ...rest] = reader.children(outer);
  if (!tbs || !algorithm || !signatureBits || rest.length > 0) reader.fail("not tbs, algorithm and signature");
  reader.expectTag(tbs, DER_TAG.SEQUENCE, "tbsCertList");
  const [oid] = reader.children(reader.expectTag(algorithm, DER_TAG.SEQUENCE, "signature algorithm"));
  if (!oid || reader.oid(oid) !== ECDSA_WITH_SHA256) reader.fail("not signed with ECDSA-SHA256");
  const bits = reader.content(reader.expectTag(signatureBits, DER_TAG.BIT_STRING, "signature"));
  if (bits.length < 2 || bits[0] !== 0) reader.fail("malformed signature bit string");
  return { tbs: der.subarray(tbs.start, tbs.end), signature: bits.subarray(1) };
}
