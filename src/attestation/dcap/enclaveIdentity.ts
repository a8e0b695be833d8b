// Parses Intel's enclave identity (QE for SGX, TD_QE for TDX; version 2) and judges a quoting
// enclave's report against it: MRSIGNER, ISVPRODID, masked MISCSELECT and ATTRIBUTES, ISVSVN level.
import { JsonFields } from "./jsonFields.ts";
import type { SgxReportBody } from "./quoteLayout.ts";
import type { TcbStatus } from "./tcbStatus.ts";

export interface EnclaveIdentityTcbLevel {
  isvSvn: number;
  tcbDate: string;
  status: TcbStatus;
  advisoryIds: string[];
}

export interface EnclaveIdentity {
  id: "QE" | "TD_QE" | "QVE";
  version: number;
  issueDate: number;
  nextUpdate: number;
  tcbEvaluationDataNumber: number;
  /** MISCSELECT and its mask as the 4 report bytes (little-endian u32). */
  miscSelect: number;
  miscSelectMask: number;
  attributes: Uint8Array;
  attributesMask: Uint8Array;
  mrSigner: Uint8Array;
  isvProdId: number;
  tcbLevels: EnclaveIdentityTcbLevel[];
}

const LEVEL_STATUSES = ["UpToDate", "OutOfDate", "Revoked"] as const;

/** Parses the `enclaveIdentity` JSON text; throws DcapError("MALFORMED_COLLATERAL"). */
export function parseEnclaveIdentity(text: string): EnclaveIdentity {
  const json = JsonFields.parse(text, "enclaveIdentity");
  const version = json.integer("version");
  if (version !== 2) json.refuse("version", "is not 2");
  const tcbLevels = json.objects("tcbLevels").map((level) => ({
    isvSvn: level.object("tcb").integer("isvsvn", 0xffff),
    tcbDate: level.string("tcbDate"),
    status: level.oneOf("tcbStatus", LEVEL_STATUSES),
    advisoryIds: level.strings("advisoryIDs"),
  }));
  if (tcbLevels.length === 0) json.refuse("tcbLevels", "is empty");
  return {
    id: json.oneOf("id", ["QE", "TD_QE", "QVE"] as const),
    version,
    issueDate: json.date("issueDate"),
    nextUpdate: json.date("nextUpdate"),
    tcbEvaluationDataNumber: json.integer("tcbEvaluationDataNumber"),
    miscSelect: Buffer.from(json.hex("miscselect", 4)).readUInt32LE(0),
    miscSelectMask: Buffer.from(json.hex("miscselectMask", 4)).readUInt32LE(0),
    attributes: json.hex("attributes", 16),
    attributesMask: json.hex("attributesMask", 16),
    mrSigner: json.hex("mrsigner", 32),
    isvProdId: json.integer("isvprodid", 0xffff),
    tcbLevels,
  };
}

export type EnclaveIdentityJudgement =
  | { ok: true; level: EnclaveIdentityTcbLevel }
  | { ok: false; mismatch: "MRSIGNER" | "ISVPRODID" | "MISCSELECT" | "ATTRIBUTES" | "ISVSVN"; detail: string };

/** Judges `report` against `identity`; the level is the first whose ISVSVN the report reaches. */
export function judgeEnclaveIdentity(identity: EnclaveIdentity, report: SgxReportBody): EnclaveIdentityJudgement {
  if (((report.miscSelect & identity.miscSelectMask) >>> 0) !== identity.miscSelect) {
    return { ok: false, mismatch: "MISCSELECT", detail: "the QE's MISCSELECT does not match its identity under the mask" };
  }
  for (let i = 0; i < 16; i++) {
    if ((report.attributes[i]! & identity.attributesMask[i]!) !== identity.attributes[i]) {
      return { ok: false, mismatch: "ATTRIBUTES", detail: `the QE's ATTRIBUTES byte ${i} does not match its identity under the mask` };
    }
  }
  if (Buffer.compare(report.mrSigner, identity.mrSigner) !== 0) {
    return { ok: false, mismatch: "MRSIGNER", detail: "the QE is not signed by the MRSIGNER of its identity" };
  }
  if (report.isvProdId !== identity.isvProdId) {
    return { ok: false, mismatch: "ISVPRODID", detail: `the QE's ISVPRODID ${report.isvProdId} is not ${identity.isvProdId}` };
  }
  const level = identity.tcbLevels.find((candidate) => report.isvSvn >= candidate.isvSvn);
  if (!level) {
    return { ok: false, mismatch: "ISVSVN", detail: `the QE's ISVSVN ${report.isvSvn} is below every level of its identity` };
  }
  return { ok: true, level };
}
