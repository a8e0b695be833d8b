// The trust anchor of DCAP verification, given by configuration: Intel's SGX Root CA in
// production, the devnet's own root on the devnet. Quotes and collateral must chain to it.
import { createHash } from "node:crypto";
import { CN_PHRASE, commonName, parseCertificate, type DcapCertificate } from "./certificate.ts";
import { DcapError } from "./DcapError.ts";
import { INTEL_SGX_ROOT_CA_PEM, INTEL_SGX_ROOT_CA_SHA256 } from "./intelRootCa.ts";
import { pemCertificates } from "./pem.ts";

export interface DcapTrustedRoot {
  certificate: DcapCertificate;
  /** SHA-256 of the root certificate's DER, lowercase hex. */
  fingerprint: string;
}

/** A trusted root from one PEM certificate or its DER; throws DcapError("INVALID_CONFIGURATION"). */
export function dcapTrustedRoot(root: string | Uint8Array): DcapTrustedRoot {
  let certificate: DcapCertificate;
  try {
    const [der] = typeof root === "string" ? pemCertificates(root, 1, "trusted root") : [root];
    certificate = parseCertificate(der!, "trusted root");
  } catch (error) {
    throw new DcapError("INVALID_CONFIGURATION", "the trusted root is not one P-256 certificate", {}, { cause: error });
  }
  if (!certificate.isCa || certificate.subject !== certificate.issuer || !certificate.native.verify(certificate.publicKey)) {
    throw new DcapError("INVALID_CONFIGURATION", "the trusted root is not a self-signed CA certificate");
  }
  if (!commonName(certificate).includes(CN_PHRASE.root)) {
    throw new DcapError("INVALID_CONFIGURATION", `the trusted root's common name does not contain "${CN_PHRASE.root}"`);
  }
  return { certificate, fingerprint: createHash("sha256").update(certificate.der).digest("hex") };
}

/** Intel's SGX Root CA, checked against its published fingerprint. */
export function intelSgxRoot(): DcapTrustedRoot {
  const root = dcapTrustedRoot(INTEL_SGX_ROOT_CA_PEM);
  if (root.fingerprint !== INTEL_SGX_ROOT_CA_SHA256) {
    throw new DcapError("INVALID_CONFIGURATION", "the embedded Intel SGX Root CA does not have Intel's fingerprint");
  }
  return root;
}
