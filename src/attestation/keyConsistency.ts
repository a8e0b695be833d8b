// Checks that key material is what it claims to be before it is used or restored from a file:
// a secret key matching its certificate, a self-signed root, a platform certificate issued by it.
import { p256 } from "@noble/curves/nist.js";
import { equalBytes } from "@noble/curves/utils.js";
import { AttestationError } from "./AttestationError.ts";
import type { PlatformAttestationKey } from "./platformAttestationKey.ts";
import type { Certificate, CertificateUsage } from "./certificate.ts";
import { isSignedBy } from "./certificateSigning.ts";

export function assertRootKey(rootSecretKey: Uint8Array, rootCertificate: Certificate): void {
  assertKeyMatchesCertificate(rootSecretKey, rootCertificate, "root");
  if (!isSignedBy(rootCertificate, rootCertificate.subjectPublicKey)) {
    throw invalid("root certificate is not self-signed by the root key");
  }
}

export function assertPlatformKey(key: PlatformAttestationKey): void {
  assertKeyMatchesCertificate(key.secretKey, key.certificate, "platform");
  const root = key.rootCertificate;
  if (root.usage !== "root" || !isSignedBy(root, root.subjectPublicKey)) {
    throw invalid("rootCertificate is not a self-signed root certificate");
  }
  if (!isSignedBy(key.certificate, root.subjectPublicKey)) {
    throw invalid("platform certificate is not issued by rootCertificate");
  }
}

function assertKeyMatchesCertificate(secretKey: Uint8Array, certificate: Certificate, usage: CertificateUsage): void {
  if (!p256.utils.isValidSecretKey(secretKey)) throw invalid("not a valid P-256 secret key");
  if (certificate.usage !== usage) throw invalid(`expected a ${usage} certificate, got ${certificate.usage}`);
  if (!equalBytes(p256.getPublicKey(secretKey, true), certificate.subjectPublicKey)) {
    throw invalid("secret key does not match the certificate's public key");
  }
}

function invalid(message: string): AttestationError {
  return new AttestationError("INVALID_ATTESTATION_INPUT", message);
}
