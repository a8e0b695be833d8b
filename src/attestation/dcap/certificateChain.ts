// Verifies certificate chains up to the trusted root, once per chain text: the PCK chain of a
// quote (leaf, PCK CA, root) with the leaf's SGX extension, and the TCB signing chain of the
// collateral (signer, root). Time is judged separately, on every use, by `expiredMember`.
import { CN_PHRASE, commonName, isIssuedBy, isWithinValidity, sameBytes, type CertificateCache, type DcapCertificate } from "./certificate.ts";
import type { PckCaKind } from "./collateral.ts";
import { DcapError, type DcapErrorCode } from "./DcapError.ts";
import { pemCertificates } from "./pem.ts";
import { sgxExtensionOf, type SgxPckExtension } from "./sgxExtension.ts";
import type { DcapTrustedRoot } from "./trustedRoot.ts";

export type ChainVerification<T> = { ok: true; chain: T } | ChainFailure;
export interface ChainFailure {
  ok: false;
  detail: string;
  code?: DcapErrorCode;
}

export interface PckChain {
  leaf: DcapCertificate;
  /** The PCK Processor or Platform CA that issued the leaf. */
  ca: DcapCertificate;
  root: DcapCertificate;
  sgx: SgxPckExtension;
  caKind: PckCaKind;
}

export interface SigningChain {
  signer: DcapCertificate;
  root: DcapCertificate;
}

/** Intel's chains: PCK leaf, PCK CA and root; TCB signer and root. */
const PCK_CHAIN_LENGTH = 3;
const SIGNING_CHAIN_LENGTH = 2;

export function verifyPckChain(pem: string, root: DcapTrustedRoot, certificates: CertificateCache): ChainVerification<PckChain> {
  const verified = verifyChain(pem, root, certificates, PCK_CHAIN_LENGTH, "PCK certificate chain");
  if (!verified.ok) return verified;
  const [leaf, ca, top] = verified.chain as [DcapCertificate, DcapCertificate, DcapCertificate];
  if (!ca.isCa || !commonName(ca).includes(CN_PHRASE.ca)) return { ok: false, detail: "the PCK certificate's issuer is not a PCK CA" };
  if (leaf.isCa || !commonName(leaf).includes(CN_PHRASE.pck)) return { ok: false, detail: "the leaf is not a PCK certificate" };
  let sgx: SgxPckExtension;
  try {
    sgx = sgxExtensionOf(leaf.extensions);
  } catch (error) {
    return failure("the PCK certificate's SGX extension", error);
  }
  // Intel names its CAs "Intel SGX PCK Processor CA" and "Intel SGX PCK Platform CA".
  const caKind: PckCaKind = /platform/i.test(commonName(ca)) ? "platform" : "processor";
  return { ok: true, chain: { leaf, ca, root: top, sgx, caKind } };
}

export function verifySigningChain(pem: string, root: DcapTrustedRoot, certificates: CertificateCache, what: string): ChainVerification<SigningChain> {
  const verified = verifyChain(pem, root, certificates, SIGNING_CHAIN_LENGTH, what);
  if (!verified.ok) return verified;
  const [signer, top] = verified.chain as [DcapCertificate, DcapCertificate];
  if (!commonName(signer).includes(CN_PHRASE.tcbSigning)) return { ok: false, detail: `${what}: the signer is not a TCB signing certificate` };
  return { ok: true, chain: { signer, root: top } };
}

/** The first certificate of `certificates` outside its validity window at `at` (ms). */
export function expiredMember(certificates: readonly DcapCertificate[], at: number): DcapCertificate | undefined {
  return certificates.find((certificate) => !isWithinValidity(certificate, at));
}

function verifyChain(
  pem: string,
  root: DcapTrustedRoot,
  cache: CertificateCache,
  length: number,
  what: string,
): ChainVerification<DcapCertificate[]> {
  let certificates: DcapCertificate[];
  try {
    certificates = pemCertificates(pem, length, what).map((der, i) => cache.parse(der, `${what} certificate ${i}`));
  } catch (error) {
    return failure(what, error);
  }
  // As Intel's QVL: the chain carries its root, and that root is the trusted one.
  if (certificates.length !== length) return { ok: false, detail: `${what} has ${certificates.length} certificates, not ${length}` };
  if (!sameBytes(certificates[length - 1]!.der, root.certificate.der)) return { ok: false, detail: `${what} does not end at the trusted root` };
  for (let i = 0; i + 1 < certificates.length; i++) {
    if (!isIssuedBy(certificates[i]!, certificates[i + 1]!)) {
      return { ok: false, detail: `${what}: certificate ${i} is not issued by certificate ${i + 1}${i + 2 === length ? " (the trusted root)" : ""}` };
    }
  }
  return { ok: true, chain: certificates };
}

function failure(what: string, error: unknown): ChainFailure {
  if (!(error instanceof DcapError)) throw error;
  return { ok: false, detail: `${what}: ${error.message}`, code: error.code };
}
