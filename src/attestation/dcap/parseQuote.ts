// Parses an Intel DCAP ECDSA quote (SGX v3/v4/v5, TDX v4/v5) into its fields; malformed bytes
// are a DcapError with a code, and every length is bounded before it is used.
import { DcapError } from "./DcapError.ts";
import {
  ATTESTATION_KEY_LENGTH,
  ATTESTATION_KEY_TYPE_ECDSA_P256,
  CERTIFICATION_DATA_TYPE,
  ECDSA_SIGNATURE_LENGTH,
  INTEL_QE_VENDOR_ID_HEX,
  MAX_CERTIFICATION_DATA_LENGTH,
  MAX_QE_AUTH_DATA_LENGTH,
  MAX_QUOTE_LENGTH,
  QE_REPORT_SIGNATURE_LENGTH,
  QUOTE_HEADER,
  QUOTE_HEADER_LENGTH,
  QUOTE_VERSION,
  SGX_REPORT_BODY,
  SGX_REPORT_BODY_LENGTH,
  TD_REPORT_10_LENGTH,
  TD_REPORT_15_LENGTH,
  TD_REPORT_BODY,
  SUPPORTED_QUOTE_VERSIONS,
  TEE_TYPE,
  V5_BODY_TYPE,
  type FieldSpan,
  type ParsedQuote,
  type QeCertification,
  type QuoteBody,
  type QuoteHeader,
  type SgxReportBody,
  type TdReportBody,
} from "./quoteLayout.ts";
import { QuoteReader } from "./quoteReader.ts";

/** Parses `bytes` as a DCAP quote; throws DcapError (TRUNCATED, UNSUPPORTED_VERSION, OVERSIZED, ...). */
export function parseQuote(bytes: Uint8Array): ParsedQuote {
  if (bytes.length > MAX_QUOTE_LENGTH) {
    throw new DcapError("OVERSIZED", `quote is ${bytes.length} bytes, above the limit of ${MAX_QUOTE_LENGTH}`);
  }
  const reader = new QuoteReader(bytes);
  const header = parseHeader(reader.bytes(QUOTE_HEADER_LENGTH, "header"));
  const body = readBody(reader, header);
  const signedBytes = bytes.slice(0, reader.offset);
  const signatureData = reader.sub(reader.length32("signature data length", MAX_QUOTE_LENGTH), "signature data");
  const signature = signatureData.bytes(ECDSA_SIGNATURE_LENGTH, "quote signature").slice();
  const attestationKey = signatureData.bytes(ATTESTATION_KEY_LENGTH, "attestation key").slice();
  const { certificationDataType, qe } =
    header.version === QUOTE_VERSION.V3 ? readV3Certification(signatureData) : readV4Certification(signatureData);
  signatureData.expectEnd("signature data");
  expectZeroPadding(bytes, reader.offset);
  return { header, body, signedBytes, signature, attestationKey, certificationDataType, qe };
}

function parseHeader(bytes: Uint8Array): QuoteHeader {
  const header: QuoteHeader = {
    version: u16(bytes, QUOTE_HEADER.version),
    attestationKeyType: u16(bytes, QUOTE_HEADER.attestationKeyType),
    teeType: u32(bytes, QUOTE_HEADER.teeType),
    qeSvn: u16(bytes, QUOTE_HEADER.qeSvn),
    pceSvn: u16(bytes, QUOTE_HEADER.pceSvn),
    qeVendorId: field(bytes, QUOTE_HEADER.qeVendorId),
    userData: field(bytes, QUOTE_HEADER.userData),
  };
  if (!SUPPORTED_QUOTE_VERSIONS.includes(header.version)) {
    throw new DcapError("UNSUPPORTED_VERSION", `quote version ${header.version} is not 3, 4 or 5`, { version: header.version });
  }
  if (header.attestationKeyType !== ATTESTATION_KEY_TYPE_ECDSA_P256) {
    throw new DcapError("UNSUPPORTED_ATTESTATION_KEY_TYPE", `attestation key type ${header.attestationKeyType} is not ECDSA P-256 (2)`, {
      attestationKeyType: header.attestationKeyType,
    });
  }
  if (header.teeType !== TEE_TYPE.SGX && header.teeType !== TEE_TYPE.TDX) {
    throw new DcapError("UNSUPPORTED_TEE_TYPE", `TEE type 0x${header.teeType.toString(16)} is neither SGX nor TDX`);
  }
  if (header.version === QUOTE_VERSION.V3 && header.teeType !== TEE_TYPE.SGX) {
    throw new DcapError("UNSUPPORTED_TEE_TYPE", "a version 3 quote can only come from SGX");
  }
  if (Buffer.from(header.qeVendorId).toString("hex") !== INTEL_QE_VENDOR_ID_HEX) {
    throw new DcapError("UNSUPPORTED_QE_VENDOR", "the quoting enclave is not Intel's (QE vendor ID)");
  }
  return header;
}

function readBody(reader: QuoteReader, header: QuoteHeader): QuoteBody {
  if (header.version !== QUOTE_VERSION.V5) {
    return header.teeType === TEE_TYPE.SGX
      ? { teeType: "SGX", report: parseSgxReport(reader.bytes(SGX_REPORT_BODY_LENGTH, "SGX report body")) }
      : { teeType: "TDX", report: parseTdReport(reader.bytes(TD_REPORT_10_LENGTH, "TD report body"), "1.0") };
  }
  const bodyType = reader.u16("body type");
  const bodySize = reader.u32("body size");
  const expected = V5_BODIES.get(bodyType);
  if (expected === undefined) {
    throw new DcapError("UNSUPPORTED_BODY_TYPE", `quote body type ${bodyType} is not 1, 2 or 3`, { bodyType });
  }
  if (expected.teeType !== header.teeType) {
    throw new DcapError("UNSUPPORTED_BODY_TYPE", `body type ${bodyType} does not belong to TEE type 0x${header.teeType.toString(16)}`);
  }
  if (bodySize !== expected.length) {
    throw new DcapError("UNSUPPORTED_BODY_TYPE", `body type ${bodyType} must be ${expected.length} bytes, not ${bodySize}`);
  }
  const bodyBytes = reader.bytes(bodySize, "report body");
  if (bodyType === V5_BODY_TYPE.SGX_ENCLAVE_REPORT) return { teeType: "SGX", report: parseSgxReport(bodyBytes) };
  return { teeType: "TDX", report: parseTdReport(bodyBytes, bodyType === V5_BODY_TYPE.TD_REPORT_15 ? "1.5" : "1.0") };
}

const V5_BODIES = new Map<number, { teeType: number; length: number }>([
  [V5_BODY_TYPE.SGX_ENCLAVE_REPORT, { teeType: TEE_TYPE.SGX, length: SGX_REPORT_BODY_LENGTH }],
  [V5_BODY_TYPE.TD_REPORT_10, { teeType: TEE_TYPE.TDX, length: TD_REPORT_10_LENGTH }],
  [V5_BODY_TYPE.TD_REPORT_15, { teeType: TEE_TYPE.TDX, length: TD_REPORT_15_LENGTH }],
]);

/** Parses a 384-byte SGX report body (an enclave's or the quoting enclave's). */
export function parseSgxReport(bytes: Uint8Array): SgxReportBody {
  return {
    cpuSvn: field(bytes, SGX_REPORT_BODY.cpuSvn),
    miscSelect: u32(bytes, SGX_REPORT_BODY.miscSelect),
    attributes: field(bytes, SGX_REPORT_BODY.attributes),
    mrEnclave: field(bytes, SGX_REPORT_BODY.mrEnclave),
    mrSigner: field(bytes, SGX_REPORT_BODY.mrSigner),
    isvProdId: u16(bytes, SGX_REPORT_BODY.isvProdId),
    isvSvn: u16(bytes, SGX_REPORT_BODY.isvSvn),
    reportData: field(bytes, SGX_REPORT_BODY.reportData),
  };
}

function parseTdReport(bytes: Uint8Array, tdReportVersion: "1.0" | "1.5"): TdReportBody {
  const f = (span: FieldSpan): Uint8Array => field(bytes, span);
  const report: TdReportBody = {
    tdReportVersion,
    teeTcbSvn: f(TD_REPORT_BODY.teeTcbSvn),
    mrSeam: f(TD_REPORT_BODY.mrSeam),
    mrSignerSeam: f(TD_REPORT_BODY.mrSignerSeam),
    seamAttributes: f(TD_REPORT_BODY.seamAttributes),
    tdAttributes: f(TD_REPORT_BODY.tdAttributes),
    xfam: f(TD_REPORT_BODY.xfam),
    mrTd: f(TD_REPORT_BODY.mrTd),
    mrConfigId: f(TD_REPORT_BODY.mrConfigId),
    mrOwner: f(TD_REPORT_BODY.mrOwner),
    mrOwnerConfig: f(TD_REPORT_BODY.mrOwnerConfig),
    rtmr: [f(TD_REPORT_BODY.rtmr0), f(TD_REPORT_BODY.rtmr1), f(TD_REPORT_BODY.rtmr2), f(TD_REPORT_BODY.rtmr3)],
    reportData: f(TD_REPORT_BODY.reportData),
  };
  if (tdReportVersion === "1.5") {
    report.teeTcbSvn2 = f(TD_REPORT_BODY.teeTcbSvn2);
    report.mrServiceTd = f(TD_REPORT_BODY.mrServiceTd);
  }
  return report;
}

interface Certification {
  certificationDataType: number;
  qe: QeCertification;
}

/** v3: the QE report, its signature and auth data sit directly in the signature data, then a type-5 chain. */
function readV3Certification(reader: QuoteReader): Certification {
  const { qeReportBytes, qeReportSignature, qeAuthData } = readQeReportPart(reader);
  const type = reader.u16("certification data type");
  const chain = reader.sub(reader.length32("certification data size", MAX_CERTIFICATION_DATA_LENGTH), "certification data");
  return { certificationDataType: type, qe: qeCertification(qeReportBytes, qeReportSignature, qeAuthData, type, chain) };
}

/** v4 and v5: a type-6 block holding the QE report, its signature and auth data, then a nested type-5 chain. */
function readV4Certification(reader: QuoteReader): Certification {
  const outerType = reader.u16("certification data type");
  const outer = reader.sub(reader.length32("certification data size", MAX_CERTIFICATION_DATA_LENGTH), "certification data");
  if (outerType !== CERTIFICATION_DATA_TYPE.QE_REPORT_CERTIFICATION_DATA) {
    throw new DcapError("UNSUPPORTED_CERTIFICATION_DATA_TYPE", `certification data type ${outerType} is not 6 (QE report certification data)`, {
      certificationDataType: outerType,
    });
  }
  const { qeReportBytes, qeReportSignature, qeAuthData } = readQeReportPart(outer);
  const innerType = outer.u16("QE certification data type");
  const chain = outer.sub(outer.length32("QE certification data size", MAX_CERTIFICATION_DATA_LENGTH), "QE certification data");
  outer.expectEnd("QE report certification data");
  return { certificationDataType: outerType, qe: qeCertification(qeReportBytes, qeReportSignature, qeAuthData, innerType, chain) };
}

function readQeReportPart(reader: QuoteReader): { qeReportBytes: Uint8Array; qeReportSignature: Uint8Array; qeAuthData: Uint8Array } {
  const qeReportBytes = reader.bytes(SGX_REPORT_BODY_LENGTH, "QE report").slice();
  const qeReportSignature = reader.bytes(QE_REPORT_SIGNATURE_LENGTH, "QE report signature").slice();
  const qeAuthData = reader.bytes(reader.length16("QE auth data length", MAX_QE_AUTH_DATA_LENGTH), "QE auth data").slice();
  return { qeReportBytes, qeReportSignature, qeAuthData };
}

function qeCertification(
  qeReportBytes: Uint8Array,
  qeReportSignature: Uint8Array,
  qeAuthData: Uint8Array,
  chainType: number,
  chain: QuoteReader,
): QeCertification {
  if (chainType !== CERTIFICATION_DATA_TYPE.PCK_CERTIFICATE_CHAIN) {
    throw new DcapError(
      "UNSUPPORTED_CERTIFICATION_DATA_TYPE",
      `PCK certification data type ${chainType} is not 5 (PCK certificate chain); other types need the PCK certificate from a PCCS`,
      { certificationDataType: chainType },
    );
  }
  const pem = chain.bytes(chain.remaining, "PCK certificate chain");
  return { qeReportBytes, qeReport: parseSgxReport(qeReportBytes), qeReportSignature, qeAuthData, pckChainPem: Buffer.from(pem).toString("latin1") };
}

/** Quote generators may hand out a fixed-size buffer: zero bytes after the quote are padding, anything else is refused. */
function expectZeroPadding(bytes: Uint8Array, end: number): void {
  for (let i = end; i < bytes.length; i++) {
    if (bytes[i] !== 0) {
      throw new DcapError("TRAILING_BYTES", `${bytes.length - end} bytes after the quote are not zero padding`, { offset: i });
    }
  }
}

function field(bytes: Uint8Array, span: FieldSpan): Uint8Array {
  return bytes.slice(span.offset, span.offset + span.length);
}

function u16(bytes: Uint8Array, span: FieldSpan): number {
  return bytes[span.offset]! | (bytes[span.offset + 1]! << 8);
}

function u32(bytes: Uint8Array, span: FieldSpan): number {
  return (bytes[span.offset]! | (bytes[span.offset + 1]! << 8) | (bytes[span.offset + 2]! << 16) | (bytes[span.offset + 3]! << 24)) >>> 0;
}
