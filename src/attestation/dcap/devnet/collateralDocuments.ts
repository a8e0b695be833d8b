// The devnet's TCB info (v3, SGX and TDX) and QE identity (v2, QE and TD_QE) as the JSON texts
// Intel's PCS publishes: same fields, same order, compact, dates to the second in UTC.
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8ToBytes } from "@noble/hashes/utils.js";
import {
  DEVNET_QE_LEVELS,
  DEVNET_TDX_MODULE_LEVELS,
  DEVNET_TEE_TCB_SVN,
  devnetTcbLevels,
  type DevnetTcbLevel,
} from "./devnetTcb.ts";

export type DevnetTee = "sgx" | "tdx";

/** The devnet's platform family per TEE: the FMSPC its PCK certificates carry, and its PCE-ID. */
export const DEVNET_FMSPC: Record<DevnetTee, string> = { sgx: "C0DE00000001", tdx: "C0DE00000081" };
export const DEVNET_PCE_ID = "0000";
export const DEVNET_TCB_EVALUATION_DATA_NUMBER = 1;

/** The devnet quoting enclaves' identity (Intel's QE has ISVPRODID 1, the TD QE 2). */
export const DEVNET_QUOTING_ENCLAVES: Record<DevnetTee, { mrEnclave: Uint8Array; mrSigner: Uint8Array; isvProdId: number }> = {
  sgx: {
    mrEnclave: sha256(utf8ToBytes("continuum/devnet/dcap/quoting-enclave")),
    mrSigner: sha256(utf8ToBytes("continuum/devnet/dcap/quoting-enclave-signer")),
    isvProdId: 1,
  },
  tdx: {
    mrEnclave: sha256(utf8ToBytes("continuum/devnet/dcap/td-quoting-enclave")),
    mrSigner: sha256(utf8ToBytes("continuum/devnet/dcap/quoting-enclave-signer")),
    isvProdId: 2,
  },
};

/** The QE report attributes Intel's QE identity pins: INIT and MODE64BIT, not DEBUG. */
const QE_ATTRIBUTES = { miscselect: "00000000", miscselectMask: "FFFFFFFF", attributes: "11000000000000000000000000000000", attributesMask: "FBFFFFFFFFFFFFFF0000000000000000" };
/** The TDX module is Intel-signed: MRSIGNER_SEAM and SEAM attributes are zero. */
export const DEVNET_TDX_MODULE = { mrsigner: "0".repeat(96), attributes: "0000000000000000", attributesMask: "FFFFFFFFFFFFFFFF" };

export interface DocumentWindow {
  issueDate: Date;
  nextUpdate: Date;
}

export function tcbInfoJson(tee: DevnetTee, window: DocumentWindow): string {
  const head = {
    id: tee === "sgx" ? "SGX" : "TDX",
    version: 3,
    issueDate: intelDate(window.issueDate),
    nextUpdate: intelDate(window.nextUpdate),
    fmspc: DEVNET_FMSPC[tee],
    pceId: DEVNET_PCE_ID,
    tcbType: 0,
    tcbEvaluationDataNumber: DEVNET_TCB_EVALUATION_DATA_NUMBER,
  };
  const levels = devnetTcbLevels().map((level) => tcbLevelJson(tee, level));
  if (tee === "sgx") return JSON.stringify({ ...head, tcbLevels: levels });
  return JSON.stringify({
    ...head,
    tdxModule: DEVNET_TDX_MODULE,
    tdxModuleIdentities: [
      {
        id: `TDX_${String(DEVNET_TEE_TCB_SVN[1]).padStart(2, "0")}`,
        ...DEVNET_TDX_MODULE,
        tcbLevels: DEVNET_TDX_MODULE_LEVELS.map(({ isvsvn, ...rest }) => statusLevel({ isvsvn }, rest)),
      },
    ],
    tcbLevels: levels,
  });
}

export function qeIdentityJson(tee: DevnetTee, window: DocumentWindow): string {
  const enclave = DEVNET_QUOTING_ENCLAVES[tee];
  return JSON.stringify({
    id: tee === "sgx" ? "QE" : "TD_QE",
    version: 2,
    issueDate: intelDate(window.issueDate),
    nextUpdate: intelDate(window.nextUpdate),
    tcbEvaluationDataNumber: DEVNET_TCB_EVALUATION_DATA_NUMBER,
    ...QE_ATTRIBUTES,
    mrsigner: Buffer.from(enclave.mrSigner).toString("hex").toUpperCase(),
    isvprodid: enclave.isvProdId,
    tcbLevels: DEVNET_QE_LEVELS[tee].map(({ isvsvn, ...rest }) => statusLevel({ isvsvn }, rest)),
  });
}

/** Intel's timestamp form: ISO 8601 in UTC to the second, "2025-06-19T10:56:11Z". */
export function intelDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function tcbLevelJson(tee: DevnetTee, level: DevnetTcbLevel): object {
  const tcb = {
    sgxtcbcomponents: level.tcb.cpuSvnComponents.map((svn) => ({ svn })),
    pcesvn: level.tcb.pceSvn,
    ...(tee === "tdx" ? { tdxtcbcomponents: DEVNET_TEE_TCB_SVN.map((svn) => ({ svn })) } : {}),
  };
  return statusLevel(tcb, level);
}

/** A level as Intel writes it: advisoryIDs only where there are some. */
function statusLevel(
  tcb: object,
  level: { tcbDate: string; tcbStatus: string; advisoryIDs: readonly string[] },
): object {
  return {
    tcb,
    tcbDate: level.tcbDate,
    tcbStatus: level.tcbStatus,
    ...(level.advisoryIDs.length > 0 ? { advisoryIDs: level.advisoryIDs } : {}),
  };
}
