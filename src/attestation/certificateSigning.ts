// Issues certificates (the issuer's P-256 signature over the domain-tagged certificate body)
// and checks such signatures; the only place that knows what a certificate signature covers.
import { p256 } from "@noble/curves/nist.js";
import { equalBytes } from "@noble/curves/utils.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { encodeCertificateBody, keyId, type Certificate, type UnsignedCertificate } from "./certificate.ts";
import { verifyP256 } from "./p256Verify.ts";

const CERTIFICATE_SIGNATURE_DOMAIN = utf8ToBytes("continuum/attestation/certificate/v1");

/** Signs `body` with the issuer's secret key; `body.issuerId` must name that key. */
export function signCertificate(body: UnsignedCertificate, issuerSecretKey: Uint8Array): Certificate {
  const signature = p256.sign(signedMessage(body), issuerSecretKey);
  return { ...body, signature };
}

/** Whether `certificate` carries a valid signature by `issuerPublicKey` and names it as issuer. */
export function isSignedBy(certificate: Certificate, issuerPublicKey: Uint8Array): boolean {
  if (!equalBytes(certificate.issuerId, keyId(issuerPublicKey))) return false;
  return verifyP256(certificate.signature, signedMessage(certificate), issuerPublicKey);
}

function signedMessage(body: UnsignedCertificate): Uint8Array {
  return concatBytes(CERTIFICATE_SIGNATURE_DOMAIN, encodeCertificateBody(body));
}
