// The byte layout of Intel DCAP ECDSA quotes (SGX v3/v4/v5, TDX v4/v5) and their parsed shape:
// one source of truth for the parser here and for the devnet's quote encoder.
//
// All integers are little-endian. A quote is
//   v3, v4: header (48) ‖ report body (SGX 384 | TD 1.0 584) ‖ u32 signature data length ‖ signature data
//   v5:     header (48) ‖ u16 body type ‖ u32 body size ‖ report body ‖ u32 signature data length ‖ signature data
// and the attestation key signs everything before the signature data length.

/** A field at `offset` spanning `length` bytes inside its structure. */
export interface FieldSpan {
  readonly offset: number;
  readonly length: number;
}

export const QUOTE_VERSION = { V3: 3, V4: 4, V5: 5 } as const;
export type QuoteVersion = (typeof QUOTE_VERSION)[keyof typeof QUOTE_VERSION];
export const SUPPORTED_QUOTE_VERSIONS: readonly number[] = [3, 4, 5];

/** Header `attestationKeyType`: ECDSA-256 with the P-256 curve, the only type DCAP uses in practice. */
export const ATTESTATION_KEY_TYPE_ECDSA_P256 = 2;

export const TEE_TYPE = { SGX: 0x00000000, TDX: 0x00000081 } as const;
export type TeeType = "SGX" | "TDX";

/** Intel's quoting enclave vendor ID, 939A7233-F79C-4CA9-940A-0DB3957F0607. */
export const INTEL_QE_VENDOR_ID_HEX = "939a7233f79c4ca9940a0db3957f0607";

export const QUOTE_HEADER_LENGTH = 48;
export const QUOTE_HEADER = {
  version: { offset: 0, length: 2 },
  attestationKeyType: { offset: 2, length: 2 },
  /** Reserved (zero) in v3, where only SGX exists. */
  teeType: { offset: 4, length: 4 },
  /** v3: the QE's ISVSVN; reserved in v4 and v5. */
  qeSvn: { offset: 8, length: 2 },
  /** v3: the PCE's ISVSVN; reserved in v4 and v5. */
  pceSvn: { offset: 10, length: 2 },
  qeVendorId: { offset: 12, length: 16 },
  /** The first 16 bytes are the QE ID (the platform's identity for the quoting enclave). */
  userData: { offset: 28, length: 20 },
} as const satisfies Record<string, FieldSpan>;

/** v5 only: a 2-byte body type and a 4-byte body size between the header and the body. */
export const V5_BODY_DESCRIPTOR_LENGTH = 6;
export const V5_BODY_TYPE = { SGX_ENCLAVE_REPORT: 1, TD_REPORT_10: 2, TD_REPORT_15: 3 } as const;

/** The SGX REPORTBODY (also the QE report inside the certification data). */
export const SGX_REPORT_BODY_LENGTH = 384;
export const SGX_REPORT_BODY = {
  cpuSvn: { offset: 0, length: 16 },
  miscSelect: { offset: 16, length: 4 },
  reserved1: { offset: 20, length: 28 },
  /** 16 bytes: FLAGS (u64, bit 1 = DEBUG) then XFRM (u64). */
  attributes: { offset: 48, length: 16 },
  mrEnclave: { offset: 64, length: 32 },
  reserved2: { offset: 96, length: 32 },
  mrSigner: { offset: 128, length: 32 },
  reserved3: { offset: 160, length: 96 },
  isvProdId: { offset: 256, length: 2 },
  isvSvn: { offset: 258, length: 2 },
  reserved4: { offset: 260, length: 60 },
  reportData: { offset: 320, length: 64 },
} as const satisfies Record<string, FieldSpan>;
/** SGX ATTRIBUTES.FLAGS bit 1: the enclave's memory is readable by a debugger. */
export const SGX_ATTRIBUTE_DEBUG_BIT = 0x02;

/** The TDX TD report body (TDREPORT 1.0, 584 bytes; 1.5 appends 64 bytes). */
export const TD_REPORT_10_LENGTH = 584;
export const TD_REPORT_15_LENGTH = 648;
export const TD_REPORT_BODY = {
  teeTcbSvn: { offset: 0, length: 16 },
  mrSeam: { offset: 16, length: 48 },
  mrSignerSeam: { offset: 64, length: 48 },
  seamAttributes: { offset: 112, length: 8 },
  tdAttributes: { offset: 120, length: 8 },
  xfam: { offset: 128, length: 8 },
  mrTd: { offset: 136, length: 48 },
  mrConfigId: { offset: 184, length: 48 },
  mrOwner: { offset: 232, length: 48 },
  mrOwnerConfig: { offset: 280, length: 48 },
  rtmr0: { offset: 328, length: 48 },
  rtmr1: { offset: 376, length: 48 },
  rtmr2: { offset: 424, length: 48 },
  rtmr3: { offset: 472, length: 48 },
  reportData: { offset: 520, length: 64 },
  /** TD report 1.5 only. */
  teeTcbSvn2: { offset: 584, length: 16 },
  /** TD report 1.5 only. */
  mrServiceTd: { offset: 600, length: 48 },
} as const satisfies Record<string, FieldSpan>;
/** TD_ATTRIBUTES byte 0 bit 0 (TUD.DEBUG): the host can read and change the TD. */
export const TD_ATTRIBUTE_DEBUG_BIT = 0x01;

export const ECDSA_SIGNATURE_LENGTH = 64;
/** Raw x ‖ y of the P-256 attestation key (no 0x04 prefix). */
export const ATTESTATION_KEY_LENGTH = 64;
export const QE_REPORT_SIGNATURE_LENGTH = 64;
/** QE report data = sha256(attestation key ‖ QE authentication data) ‖ 32 zero bytes. */
export const QE_REPORT_DATA_HASH_LENGTH = 32;

/**
 * Signature data (the part after the u32 length), v3:
 *   quote signature (64) ‖ attestation key (64) ‖ QE report (384) ‖ QE report signature (64)
 *   ‖ u16 QE auth data length ‖ QE auth data ‖ u16 certification data type ‖ u32 size ‖ data
 * v4 and v5:
 *   quote signature (64) ‖ attestation key (64) ‖ u16 certification data type (6) ‖ u32 size ‖ data
 * where type-6 data is
 *   QE report (384) ‖ QE report signature (64) ‖ u16 QE auth data length ‖ QE auth data
 *   ‖ u16 certification data type (5) ‖ u32 size ‖ PCK certificate chain (PEM, leaf first)
 */
export const CERTIFICATION_DATA_TYPE = {
  PPID_CLEARTEXT: 1,
  PPID_RSA2048_ENCRYPTED: 2,
  PPID_RSA3072_ENCRYPTED: 3,
  PCK_CERTIFICATE: 4,
  PCK_CERTIFICATE_CHAIN: 5,
  QE_REPORT_CERTIFICATION_DATA: 6,
  PLATFORM_MANIFEST: 7,
} as const;
/** u16 type + u32 size in front of each certification data block. */
export const CERTIFICATION_DATA_HEADER_LENGTH = 6;

/** Upper bounds the parser enforces before reading, so a forged length never drives an allocation. */
export const MAX_QUOTE_LENGTH = 64 * 1024;
export const MAX_CERTIFICATION_DATA_LENGTH = 32 * 1024;
export const MAX_QE_AUTH_DATA_LENGTH = 1024;

export interface QuoteHeader {
  version: number;
  attestationKeyType: number;
  /** Raw header value: 0x00 SGX, 0x81 TDX. */
  teeType: number;
  qeSvn: number;
  pceSvn: number;
  qeVendorId: Uint8Array;
  userData: Uint8Array;
}

export interface SgxReportBody {
  cpuSvn: Uint8Array;
  miscSelect: number;
  /** 16 bytes: FLAGS ‖ XFRM. */
  attributes: Uint8Array;
  mrEnclave: Uint8Array;
  mrSigner: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  reportData: Uint8Array;
}

export interface TdReportBody {
  /** "1.0" (584 bytes) or "1.5" (648 bytes, v5 body type 3). */
  tdReportVersion: "1.0" | "1.5";
  teeTcbSvn: Uint8Array;
  mrSeam: Uint8Array;
  mrSignerSeam: Uint8Array;
  seamAttributes: Uint8Array;
  tdAttributes: Uint8Array;
  xfam: Uint8Array;
  mrTd: Uint8Array;
  mrConfigId: Uint8Array;
  mrOwner: Uint8Array;
  mrOwnerConfig: Uint8Array;
  rtmr: readonly [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  reportData: Uint8Array;
  /** TD report 1.5 only. */
  teeTcbSvn2?: Uint8Array;
  /** TD report 1.5 only. */
  mrServiceTd?: Uint8Array;
}

export type QuoteBody = { teeType: "SGX"; report: SgxReportBody } | { teeType: "TDX"; report: TdReportBody };

/** The quoting enclave's proof that it holds the attestation key, certified by the platform's PCK. */
export interface QeCertification {
  /** The raw 384-byte QE report: the bytes the PCK key signed. */
  qeReportBytes: Uint8Array;
  qeReport: SgxReportBody;
  qeReportSignature: Uint8Array;
  qeAuthData: Uint8Array;
  /** The PCK certificate chain as carried (PEM text, leaf first, root last). */
  pckChainPem: string;
}

export interface ParsedQuote {
  header: QuoteHeader;
  body: QuoteBody;
  /** header ‖ (v5 body descriptor) ‖ body: the bytes the attestation key signed. */
  signedBytes: Uint8Array;
  signature: Uint8Array;
  attestationKey: Uint8Array;
  /** The outer certification data type: 6 (QE report certification data) in v4/v5, 5 in v3. */
  certificationDataType: number;
  qe: QeCertification;
}
