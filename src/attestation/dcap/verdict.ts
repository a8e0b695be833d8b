// The verdict of DCAP quote verification, as data: accepted with the TCB status and the
// enclave's or TD's measurement, or refused naming the one link of the chain that failed.
import type { DcapErrorCode } from "./DcapError.ts";
import type { TcbStatus } from "./tcbStatus.ts";

export type Hex = `0x${string}`;

/** Each link of DCAP verification that can refuse a quote, in the order they are checked. */
export const DCAP_CHECKS = [
  /** The quote bytes do not parse (the refusal carries the DcapError code). */
  "MALFORMED_QUOTE",
  /** The collateral does not parse (TCB info or QE identity JSON, CRL DER, hex). */
  "MALFORMED_COLLATERAL",
  /** No collateral could be obtained for the quote's platform. */
  "COLLATERAL_UNAVAILABLE",
  /** The PCK certificate chain is malformed or does not lead to the trusted root. */
  "PCK_CHAIN",
  /** A certificate of the PCK chain is outside its validity window. */
  "PCK_CHAIN_EXPIRED",
  /** The root CA CRL is not the trusted root's. */
  "ROOT_CA_CRL",
  "ROOT_CA_CRL_EXPIRED",
  /** The PCK CRL is not the one of the CA that issued the PCK certificate. */
  "PCK_CRL",
  "PCK_CRL_EXPIRED",
  /** The PCK certificate or its CA is revoked. */
  "PCK_REVOKED",
  /** The TCB info's issuer chain does not lead to the trusted root, is expired or revoked. */
  "TCB_INFO_CHAIN",
  "TCB_INFO_SIGNATURE",
  /** Outside the TCB info's issueDate..nextUpdate. */
  "TCB_INFO_EXPIRED",
  /** The TCB info is for another TEE, FMSPC or PCE-ID than the quote's platform. */
  "TCB_INFO_MISMATCH",
  "QE_IDENTITY_CHAIN",
  "QE_IDENTITY_SIGNATURE",
  "QE_IDENTITY_EXPIRED",
  /** The QE identity is for another TEE, or the quoting enclave does not match it. */
  "QE_IDENTITY_MISMATCH",
  /** The QE report is not signed by the PCK key. */
  "QE_REPORT_SIGNATURE",
  /** The QE report does not commit to the attestation key and QE authentication data. */
  "QE_REPORT_DATA",
  /** The quote is not signed by the attestation key. */
  "QUOTE_SIGNATURE",
  /** The TDX module is not the one the TCB info names. */
  "TDX_MODULE",
  /** The platform's TCB (or the QE's ISVSVN) reaches no level of the collateral. */
  "TCB_STATUS",
  "TCB_REVOKED",
  /** An SGX enclave with ATTRIBUTES.DEBUG set. */
  "DEBUG_ENCLAVE",
  /** A TD with TD_ATTRIBUTES.DEBUG set. */
  "DEBUG_TD",
  /** Reserved TD attribute bits set, or SEPT_VE_DISABLE not set. */
  "TD_ATTRIBUTES",
  /** A TD report 1.5 bound to a service TD. */
  "MR_SERVICE_TD",
] as const;
export type DcapCheck = (typeof DCAP_CHECKS)[number];

export interface SgxMeasurement {
  mrEnclave: Hex;
  mrSigner: Hex;
  isvProdId: number;
  isvSvn: number;
  attributes: Hex;
  miscSelect: number;
  cpuSvn: Hex;
}

export interface TdxMeasurement {
  mrTd: Hex;
  rtmr0: Hex;
  rtmr1: Hex;
  rtmr2: Hex;
  rtmr3: Hex;
  mrConfigId: Hex;
  mrOwner: Hex;
  mrOwnerConfig: Hex;
  tdAttributes: Hex;
  xfam: Hex;
  teeTcbSvn: Hex;
  mrSeam: Hex;
  mrSignerSeam: Hex;
}

interface AcceptedBase {
  ok: true;
  status: Exclude<TcbStatus, "Revoked">;
  advisoryIds: string[];
  quoteVersion: number;
  reportData: Hex;
  fmspc: Hex;
  pceId: Hex;
  /** The date of the matched TCB level. */
  tcbDate: string;
  /** The earliest end of validity among the collateral and certificates the verdict relied on. */
  collateralValidUntil: string;
  /** Which TCB info judged the platform: its evaluation data number and issue date. */
  tcbEvaluationDataNumber: number;
  tcbInfoIssueDate: string;
}

export type AcceptedQuote =
  | (AcceptedBase & { teeType: "SGX"; measurement: SgxMeasurement })
  | (AcceptedBase & { teeType: "TDX"; measurement: TdxMeasurement });

export interface RefusedQuote {
  ok: false;
  check: DcapCheck;
  detail: string;
  /** For MALFORMED_* refusals: the parser's error code. */
  code?: DcapErrorCode;
}

export type DcapVerdict = AcceptedQuote | RefusedQuote;

export function refuse(check: DcapCheck, detail: string, code?: DcapErrorCode): RefusedQuote {
  return code === undefined ? { ok: false, check, detail } : { ok: false, check, detail, code };
}

export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}
