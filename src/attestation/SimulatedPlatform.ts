// A simulated SGX platform: given an enclave's identity and report data it produces a quote
// signed by its certified attestation key, as the quoting enclave does on real hardware.
import type { PlatformAttestationKey } from "./AttestationAuthority.ts";
import { toRawPublicKey } from "./attestationKeyEncoding.ts";
import { keyId } from "./certificate.ts";
import { toFixedBytes, type BytesInput } from "./hexBytes.ts";
import { assertPlatformKey } from "./keyConsistency.ts";
import {
  ATTESTATION_KEY_TYPE_P256,
  ATTRIBUTE_DEBUG,
  ATTRIBUTE_INIT,
  ATTRIBUTE_MODE64BIT,
  QUOTE_VERSION,
  SIMULATED_QE_VENDOR_ID,
  TEE_TYPE_SGX,
  XFRM_LEGACY,
  type QuoteHeader,
  type ReportBody,
} from "./quote.ts";
import { encodeQuote } from "./quoteCodec.ts";
import { signQuote } from "./quoteSignature.ts";

/** What the enclave runtime asks the platform to attest. */
export interface QuoteRequest {
  /** MRENCLAVE, 32 bytes. */
  measurement: BytesInput;
  /** MRSIGNER, 32 bytes. */
  signerMeasurement: BytesInput;
  productId: number;
  securityVersion: number;
  debug: boolean;
  /** 64 bytes, normally buildReportData(enclaveAddress, nonce). */
  reportData: BytesInput;
}

const SIMULATED_QE_SVN = 1;
const SIMULATED_PCE_SVN = 1;
const PLATFORM_ID_LENGTH = 16;

export class SimulatedPlatform {
  readonly #key: PlatformAttestationKey;
  readonly #header: QuoteHeader;

  /** Throws AttestationError unless the key matches its certificate and that certificate its root. */
  constructor(attestationKey: PlatformAttestationKey) {
    assertPlatformKey(attestationKey);
    this.#key = attestationKey;
    this.#header = simulatedHeader(attestationKey);
  }

  /**
   * An encoded quote (see quoteCodec.ts) for an enclave with the requested identity. Throws
   * AttestationError("INVALID_ATTESTATION_INPUT") for fields of the wrong size or range.
   */
  createQuote(request: QuoteRequest): Uint8Array {
    const body = reportBody(request);
    return encodeQuote({
      header: this.#header,
      body,
      signature: signQuote(this.#header, body, this.#key.secretKey),
      attestationPublicKey: toRawPublicKey(this.#key.certificate.subjectPublicKey),
      certificationChain: { platform: this.#key.certificate, root: this.#key.rootCertificate },
    });
  }
}

/** Like Intel's DCAP library, userData starts with an identifier of the platform. */
function simulatedHeader(key: PlatformAttestationKey): QuoteHeader {
  const userData = new Uint8Array(20);
  userData.set(keyId(key.certificate.subjectPublicKey).subarray(0, PLATFORM_ID_LENGTH));
  return {
    version: QUOTE_VERSION,
    attestationKeyType: ATTESTATION_KEY_TYPE_P256,
    teeType: TEE_TYPE_SGX,
    qeSvn: SIMULATED_QE_SVN,
    pceSvn: SIMULATED_PCE_SVN,
    qeVendorId: SIMULATED_QE_VENDOR_ID,
    userData,
  };
}

function reportBody(request: QuoteRequest): ReportBody {
  const flags = ATTRIBUTE_INIT | ATTRIBUTE_MODE64BIT | (request.debug ? ATTRIBUTE_DEBUG : 0n);
  return {
    cpuSvn: new Uint8Array(16),
    miscSelect: 0,
    attributes: { flags, xfrm: XFRM_LEGACY },
    measurement: toFixedBytes(request.measurement, 32, "measurement"),
    signerMeasurement: toFixedBytes(request.signerMeasurement, 32, "signerMeasurement"),
    productId: request.productId,
    securityVersion: request.securityVersion,
    reportData: toFixedBytes(request.reportData, 64, "reportData"),
  };
}
