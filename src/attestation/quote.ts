// The parsed form of a quote, shaped like an Intel SGX ECDSA quote (v3): header, SGX report
// body, the platform's signature over both, and the certification chain up to the root.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import type { Certificate } from "./certificate.ts";

export interface QuoteHeader {
  version: number;
  /** 2 = ECDSA-256 with P-256, as in Intel's quotes. */
  attestationKeyType: number;
  /** 0 = SGX. */
  teeType: number;
  qeSvn: number;
  pceSvn: number;
  /** 16 bytes naming who built the quoting enclave. */
  qeVendorId: Uint8Array;
  /** 20 bytes of platform-defined data. */
  userData: Uint8Array;
}

/** The SGX report body; field names say what each SGX field means. */
export interface ReportBody {
  /** CPUSVN, 16 bytes. */
  cpuSvn: Uint8Array;
  miscSelect: number;
  /** SGX ATTRIBUTES: flags (bit 1 = DEBUG) and XFRM. */
  attributes: { flags: bigint; xfrm: bigint };
  /** MRENCLAVE, 32 bytes: the hash of the enclave's code and initial data. */
  measurement: Uint8Array;
  /** MRSIGNER, 32 bytes: the hash of the key that signed the enclave. */
  signerMeasurement: Uint8Array;
  /** ISVPRODID. */
  productId: number;
  /** ISVSVN: raised by the enclave's author on each security fix. */
  securityVersion: number;
  /** REPORTDATA, 64 bytes chosen by the enclave; see reportData.ts for Continuum's use. */
  reportData: Uint8Array;
}

/** Certificates carried in the quote, leaf first: the platform key's, then the root's. */
export interface CertificationChain {
  platform: Certificate;
  root: Certificate;
}

export interface Quote {
  header: QuoteHeader;
  body: ReportBody;
  /** P-256 ECDSA r||s (low-s) over sha256(encoded header || encoded report body). */
  signature: Uint8Array;
  /** The signing attestation key as raw x||y, 64 bytes, as in Intel's quotes. */
  attestationPublicKey: Uint8Array;
  certificationChain: CertificationChain;
}

export const QUOTE_VERSION = 3;
export const ATTESTATION_KEY_TYPE_P256 = 2;
export const TEE_TYPE_SGX = 0;
/** Identifies quotes from the simulated platform: sha256("continuum/attestation/simulated-qe")[0..16]. */
export const SIMULATED_QE_VENDOR_ID = sha256(utf8ToBytes("continuum/attestation/simulated-qe")).slice(0, 16);
/** Certification data type of Continuum's chain (Intel uses 1..7 for its own formats). */
export const CERTIFICATION_DATA_TYPE_CHAIN = 0x0100;

export const ATTRIBUTE_INIT = 0x1n;
export const ATTRIBUTE_DEBUG = 0x2n;
export const ATTRIBUTE_MODE64BIT = 0x4n;
/** XFRM enabling x87 and SSE state, the minimum SGX allows. */
export const XFRM_LEGACY = 0x3n;

export function isDebugEnclave(body: ReportBody): boolean {
  return (body.attributes.flags & ATTRIBUTE_DEBUG) !== 0n;
}
