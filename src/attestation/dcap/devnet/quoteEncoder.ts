// Encodes Intel DCAP ECDSA quotes (SGX v3 and v4, TDX v4) from their parts, by the layout of
// ../quoteLayout.ts: the header and report body signed by the attestation key, then the QE
// report certification data (the QE report signed by the PCK key and the PCK chain).
import { concatBytes } from "@noble/hashes/utils.js";
import {
  ATTESTATION_KEY_TYPE_ECDSA_P256,
  CERTIFICATION_DATA_TYPE,
  INTEL_QE_VENDOR_ID_HEX,
  QUOTE_HEADER,
  QUOTE_HEADER_LENGTH,
  SGX_REPORT_BODY,
  SGX_REPORT_BODY_LENGTH,
  TD_REPORT_10_LENGTH,
  TD_REPORT_BODY,
  TEE_TYPE,
  type FieldSpan,
  type QuoteBody,
  type SgxReportBody,
  type TdReportBody,
} from "../quoteLayout.ts";
import { DevnetDcapError } from "./DevnetDcapError.ts";
import { rawPublicKey, signRaw, type P256KeyPair } from "./p256Keys.ts";

/** The header fields a quoting enclave chooses; version, key type, TEE type and vendor follow from the body. */
export interface QuoteHeaderFields {
  version: 3 | 4;
  /** v3: the QE's ISVSVN; zero (reserved) in v4. */
  qeSvn: number;
  /** v3: the PCE's ISVSVN; zero (reserved) in v4. */
  pceSvn: number;
  /** 16 bytes: the QE ID. The last 4 bytes of user data are zero. */
  qeId: Uint8Array;
}

/** What the PCK key certified once for the quoting enclave's attestation key. */
export interface QeReportCertification {
  /** The 384-byte QE report. */
  qeReportBytes: Uint8Array;
  /** The PCK key's signature of the QE report, r ‖ s. */
  qeReportSignature: Uint8Array;
  qeAuthData: Uint8Array;
  /** PCK leaf, Platform CA, root, PEM. */
  pckChainPem: string;
}

export interface QuoteParts {
  header: QuoteHeaderFields;
  body: QuoteBody;
  attestationKey: P256KeyPair;
  qe: QeReportCertification;
}

export function encodeQuote(parts: QuoteParts): Uint8Array {
  const teeType = parts.body.teeType === "SGX" ? TEE_TYPE.SGX : TEE_TYPE.TDX;
  if (parts.header.version === 3 && teeType !== TEE_TYPE.SGX) {
    throw new DevnetDcapError("INVALID_INPUT", "a version 3 quote can only carry an SGX report");
  }
  const header = encodeHeader(parts.header, teeType);
  const body = parts.body.teeType === "SGX" ? encodeSgxReportBody(parts.body.report) : encodeTdReport10(parts.body.report);
  const signed = concatBytes(header, body);
  const signature = signRaw(parts.attestationKey.privateKey, signed);
  const attestationKey = rawPublicKey(parts.attestationKey.publicKey);
  const qeData = qeReportCertificationData(parts.qe);
  const signatureData =
    parts.header.version === 3
      ? concatBytes(signature, attestationKey, qeData)
      : concatBytes(signature, attestationKey, certificationData(CERTIFICATION_DATA_TYPE.QE_REPORT_CERTIFICATION_DATA, qeData));
  return concatBytes(signed, u32(signatureData.length), signatureData);
}

export function encodeHeader(fields: QuoteHeaderFields, teeType: number): Uint8Array {
  const header = new Uint8Array(QUOTE_HEADER_LENGTH);
  putU16(header, QUOTE_HEADER.version, fields.version);
  putU16(header, QUOTE_HEADER.attestationKeyType, ATTESTATION_KEY_TYPE_ECDSA_P256);
  putU32(header, QUOTE_HEADER.teeType, fields.version === 3 ? 0 : teeType);
  if (fields.version === 3) {
    putU16(header, QUOTE_HEADER.qeSvn, fields.qeSvn);
    putU16(header, QUOTE_HEADER.pceSvn, fields.pceSvn);
  }
  put(header, QUOTE_HEADER.qeVendorId, Buffer.from(INTEL_QE_VENDOR_ID_HEX, "hex"));
  put(header, { offset: QUOTE_HEADER.userData.offset, length: 16 }, fields.qeId);
  return header;
}

/** The 384-byte SGX report body; reserved fields are zero. */
export function encodeSgxReportBody(report: SgxReportBody): Uint8Array {
  const bytes = new Uint8Array(SGX_REPORT_BODY_LENGTH);
  put(bytes, SGX_REPORT_BODY.cpuSvn, report.cpuSvn);
  putU32(bytes, SGX_REPORT_BODY.miscSelect, report.miscSelect);
  put(bytes, SGX_REPORT_BODY.attributes, report.attributes);
  put(bytes, SGX_REPORT_BODY.mrEnclave, report.mrEnclave);
  put(bytes, SGX_REPORT_BODY.mrSigner, report.mrSigner);
  putU16(bytes, SGX_REPORT_BODY.isvProdId, report.isvProdId);
  putU16(bytes, SGX_REPORT_BODY.isvSvn, report.isvSvn);
  put(bytes, SGX_REPORT_BODY.reportData, report.reportData);
  return bytes;
}

/** The 584-byte TD report 1.0 body. */
export function encodeTdReport10(report: TdReportBody): Uint8Array {
  const bytes = new Uint8Array(TD_REPORT_10_LENGTH);
  const spans = TD_REPORT_BODY;
  put(bytes, spans.teeTcbSvn, report.teeTcbSvn);
  put(bytes, spans.mrSeam, report.mrSeam);
  put(bytes, spans.mrSignerSeam, report.mrSignerSeam);
  put(bytes, spans.seamAttributes, report.seamAttributes);
  put(bytes, spans.tdAttributes, report.tdAttributes);
  put(bytes, spans.xfam, report.xfam);
  put(bytes, spans.mrTd, report.mrTd);
  put(bytes, spans.mrConfigId, report.mrConfigId);
  put(bytes, spans.mrOwner, report.mrOwner);
  put(bytes, spans.mrOwnerConfig, report.mrOwnerConfig);
  [spans.rtmr0, spans.rtmr1, spans.rtmr2, spans.rtmr3].forEach((span, index) => put(bytes, span, report.rtmr[index]!));
  put(bytes, spans.reportData, report.reportData);
  return bytes;
}

/**
 * QE report ‖ signature ‖ u16 auth data length ‖ auth data ‖ type-5 PCK chain. The chain ends
 * with a NUL byte, as Intel's quoting enclaves write it (a C string).
 */
function qeReportCertificationData(qe: QeReportCertification): Uint8Array {
  if (qe.qeReportBytes.length !== SGX_REPORT_BODY_LENGTH || qe.qeReportSignature.length !== 64) {
    throw new DevnetDcapError("INVALID_INPUT", "the QE report must be 384 bytes and its signature 64");
  }
  const chain = concatBytes(Buffer.from(qe.pckChainPem, "latin1"), Uint8Array.of(0));
  return concatBytes(
    qe.qeReportBytes,
    qe.qeReportSignature,
    u16(qe.qeAuthData.length),
    qe.qeAuthData,
    certificationData(CERTIFICATION_DATA_TYPE.PCK_CERTIFICATE_CHAIN, chain),
  );
}

function certificationData(type: number, data: Uint8Array): Uint8Array {
  return concatBytes(u16(type), u32(data.length), data);
}

function put(target: Uint8Array, span: FieldSpan, value: Uint8Array): void {
  if (value.length !== span.length) {
    throw new DevnetDcapError("INVALID_INPUT", `a field at offset ${span.offset} must be ${span.length} bytes, got ${value.length}`);
  }
  target.set(value, span.offset);
}

function putU16(target: Uint8Array, span: FieldSpan, value: number): void {
  target.set(u16(value), span.offset);
}

function putU32(target: Uint8Array, span: FieldSpan, value: number): void {
  target.set(u32(value), span.offset);
}

function u16(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new DevnetDcapError("INVALID_INPUT", `${value} is not a u16`);
  return Uint8Array.of(value & 0xff, value >>> 8);
}

function u32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new DevnetDcapError("INVALID_INPUT", `${value} is not a u32`);
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
}
