// Binary encoding and strict parsing of quotes. The layout follows Intel's SGX ECDSA quote v3;
// the signature data carries Continuum's compact certificate chain instead of Intel's PEM chain.
//
// Layout (896 bytes, integers little-endian):
//   offset size field
//   header
//        0    2 version                     = 3
//        2    2 attestationKeyType          = 2 (ECDSA-256 with P-256)
//        4    4 teeType                     = 0 (SGX)
//        8    2 qeSvn
//       10    2 pceSvn
//       12   16 qeVendorId                  = SIMULATED_QE_VENDOR_ID
//       28   20 userData
//   report body (SGX REPORTBODY)
//       48   16 cpuSvn
//       64    4 miscSelect
//       68   28 reserved                    zero
//       96   16 attributes                  flags u64 (bit 1 = DEBUG), xfrm u64
//      112   32 mrEnclave                   measurement
//      144   32 reserved                    zero
//      176   32 mrSigner                    signerMeasurement
//      208   96 reserved                    zero
//      304    2 isvProdId                   productId
//      306    2 isvSvn                      securityVersion
//      308   60 reserved                    zero
//      368   64 reportData
//   signature data
//      432    4 signatureDataLength         = 460, the bytes that follow
//      436   64 signature                   P-256 r||s over sha256(bytes 0..431)
//      500   64 attestationPublicKey        raw x||y
//      564    2 certificationDataType       = 0x0100
//      566    4 certificationDataSize       = 326
//      570  163 platform certificate        see certificate.ts
//      733  163 root certificate
import { concatBytes } from "@noble/hashes/utils.js";
import { equalBytes } from "@noble/curves/utils.js";
import { isP256Point, rawToSec1PublicKey } from "./attestationKeyEncoding.ts";
import { ByteReader } from "./byteReader.ts";
import { ByteWriter } from "./byteWriter.ts";
import { CERTIFICATE_LENGTH, encodeCertificate, readCertificate, SIGNATURE_LENGTH } from "./certificate.ts";
import {
  ATTESTATION_KEY_TYPE_P256,
  CERTIFICATION_DATA_TYPE_CHAIN,
  QUOTE_VERSION,
  SIMULATED_QE_VENDOR_ID,
  TEE_TYPE_SGX,
  type Quote,
  type QuoteHeader,
  type ReportBody,
} from "./quote.ts";

export const HEADER_LENGTH = 48;
export const REPORT_BODY_LENGTH = 384;
export const RAW_PUBLIC_KEY_LENGTH = 64;
const CERTIFICATION_DATA_LENGTH = 2 * CERTIFICATE_LENGTH;
const SIGNATURE_DATA_LENGTH = SIGNATURE_LENGTH + RAW_PUBLIC_KEY_LENGTH + 2 + 4 + CERTIFICATION_DATA_LENGTH;
export const QUOTE_LENGTH = HEADER_LENGTH + REPORT_BODY_LENGTH + 4 + SIGNATURE_DATA_LENGTH;

/** The bytes the platform's attestation key signs: the encoded header followed by the report body. */
export function encodeSignedRegion(header: QuoteHeader, body: ReportBody): Uint8Array {
  return concatBytes(encodeHeader(header), encodeReportBody(body));
}

export function encodeQuote(quote: Quote): Uint8Array {
  return new ByteWriter()
    .bytes(encodeSignedRegion(quote.header, quote.body), HEADER_LENGTH + REPORT_BODY_LENGTH, "signed region")
    .u32(SIGNATURE_DATA_LENGTH, "signatureDataLength")
    .bytes(quote.signature, SIGNATURE_LENGTH, "signature")
    .bytes(quote.attestationPublicKey, RAW_PUBLIC_KEY_LENGTH, "attestationPublicKey")
    .u16(CERTIFICATION_DATA_TYPE_CHAIN, "certificationDataType")
    .u32(CERTIFICATION_DATA_LENGTH, "certificationDataSize")
    .bytes(encodeCertificate(quote.certificationChain.platform), CERTIFICATE_LENGTH, "platform certificate")
    .bytes(encodeCertificate(quote.certificationChain.root), CERTIFICATE_LENGTH, "root certificate")
    .toBytes();
}

/** Parses one quote; throws AttestationError("MALFORMED_QUOTE") naming the offending offset. */
export function parseQuote(bytes: Uint8Array): Quote {
  const reader = new ByteReader(bytes, "MALFORMED_QUOTE");
  const header = readHeader(reader);
  const body = readReportBody(reader);
  readExpected(reader, "u32", "signatureDataLength", SIGNATURE_DATA_LENGTH);
  const signature = reader.bytes(SIGNATURE_LENGTH, "signature");
  const attestationPublicKey = readRawPublicKey(reader);
  readExpected(reader, "u16", "certificationDataType", CERTIFICATION_DATA_TYPE_CHAIN);
  readExpected(reader, "u32", "certificationDataSize", CERTIFICATION_DATA_LENGTH);
  const platform = readCertificate(reader);
  const root = readCertificate(reader);
  reader.expectEnd();
  return { header, body, signature, attestationPublicKey, certificationChain: { platform, root } };
}

function encodeHeader(header: QuoteHeader): Uint8Array {
  return new ByteWriter()
    .u16(header.version, "version")
    .u16(header.attestationKeyType, "attestationKeyType")
    .u32(header.teeType, "teeType")
    .u16(header.qeSvn, "qeSvn")
    .u16(header.pceSvn, "pceSvn")
    .bytes(header.qeVendorId, 16, "qeVendorId")
    .bytes(header.userData, 20, "userData")
    .toBytes();
}

function encodeReportBody(body: ReportBody): Uint8Array {
  return new ByteWriter()
    .bytes(body.cpuSvn, 16, "cpuSvn")
    .u32(body.miscSelect, "miscSelect")
    .zeros(28)
    .u64(body.attributes.flags, "attributes.flags")
    .u64(body.attributes.xfrm, "attributes.xfrm")
    .bytes(body.measurement, 32, "measurement")
    .zeros(32)
    .bytes(body.signerMeasurement, 32, "signerMeasurement")
    .zeros(96)
    .u16(body.productId, "productId")
    .u16(body.securityVersion, "securityVersion")
    .zeros(60)
    .bytes(body.reportData, 64, "reportData")
    .toBytes();
}

function readHeader(reader: ByteReader): QuoteHeader {
  const version = readExpected(reader, "u16", "version", QUOTE_VERSION);
  const attestationKeyType = readExpected(reader, "u16", "attestationKeyType", ATTESTATION_KEY_TYPE_P256);
  const teeType = readExpected(reader, "u32", "teeType", TEE_TYPE_SGX);
  const qeSvn = reader.u16("qeSvn");
  const pceSvn = reader.u16("pceSvn");
  const vendorOffset = reader.offset;
  const qeVendorId = reader.bytes(16, "qeVendorId");
  if (!equalBytes(qeVendorId, SIMULATED_QE_VENDOR_ID)) reader.fail("unknown qeVendorId", vendorOffset);
  const userData = reader.bytes(20, "userData");
  return { version, attestationKeyType, teeType, qeSvn, pceSvn, qeVendorId, userData };
}

function readReportBody(reader: ByteReader): ReportBody {
  const cpuSvn = reader.bytes(16, "cpuSvn");
  const miscSelect = reader.u32("miscSelect");
  reader.zeros(28, "reserved1");
  const attributes = { flags: reader.u64("attributes.flags"), xfrm: reader.u64("attributes.xfrm") };
  const measurement = reader.bytes(32, "mrEnclave");
  reader.zeros(32, "reserved2");
  const signerMeasurement = reader.bytes(32, "mrSigner");
  reader.zeros(96, "reserved3");
  const productId = reader.u16("isvProdId");
  const securityVersion = reader.u16("isvSvn");
  reader.zeros(60, "reserved4");
  const reportData = reader.bytes(64, "reportData");
  return { cpuSvn, miscSelect, attributes, measurement, signerMeasurement, productId, securityVersion, reportData };
}

function readRawPublicKey(reader: ByteReader): Uint8Array {
  const offset = reader.offset;
  const raw = reader.bytes(RAW_PUBLIC_KEY_LENGTH, "attestationPublicKey");
  if (!isP256Point(rawToSec1PublicKey(raw), false)) {
    reader.fail("attestationPublicKey is not a P-256 point", offset);
  }
  return raw;
}

/** Reads a field that has one allowed value in this format (a version, a type, a size). */
function readExpected(reader: ByteReader, width: "u16" | "u32", field: string, expected: number): number {
  const offset = reader.offset;
  const actual = reader[width](field);
  if (actual !== expected) reader.fail(`${field} must be ${expected}, got ${actual}`, offset);
  return actual;
}
