// How the CLI shows a DCAP verdict: one JSON document (valid, status, advisoryIds, teeType,
// measurement, or the failing check) and aligned rows naming the enclave's or TD's identity.
import type { DcapTrustedRoot, DcapVerdict, SgxMeasurement, TdxMeasurement } from "../attestation/dcap/index.ts";
import type { ResultRow } from "./output.ts";

/** The verdict as data: what `--json` prints. */
export function verdictDocument(verdict: DcapVerdict, at: Date, root: DcapTrustedRoot): Record<string, unknown> {
  const judged = { verifiedAt: at.toISOString(), trustedRoot: root.certificate.subject, trustedRootSha256: root.fingerprint };
  if (!verdict.ok) return { valid: false, check: verdict.check, detail: verdict.detail, ...(verdict.code ? { code: verdict.code } : {}), ...judged };
  return {
    valid: true,
    status: verdict.status,
    advisoryIds: verdict.advisoryIds,
    teeType: verdict.teeType,
    measurement: verdict.measurement,
    quoteVersion: verdict.quoteVersion,
    reportData: verdict.reportData,
    fmspc: verdict.fmspc,
    pceId: verdict.pceId,
    tcbDate: verdict.tcbDate,
    tcbEvaluationDataNumber: verdict.tcbEvaluationDataNumber,
    tcbInfoIssueDate: verdict.tcbInfoIssueDate,
    collateralValidUntil: verdict.collateralValidUntil,
    ...judged,
  };
}

/** The verdict for people: validity, TCB status and advisories, then the enclave's identity. */
export function verdictRows(verdict: DcapVerdict, at: Date, root: DcapTrustedRoot): ResultRow[] {
  const anchor: ResultRow[] = [
    ["verified at", at.toISOString()],
    ["trusted root", `${root.certificate.subject} (sha256 ${root.fingerprint})`],
  ];
  if (!verdict.ok) return [["valid", `no: refused by ${verdict.check}`], ["why", verdict.detail], ...anchor];
  return [
    ["valid", "yes"],
    ...anchor,
    ["TEE", `${verdict.teeType} (quote version ${verdict.quoteVersion})`],
    ["TCB status", verdict.status],
    ["advisories", verdict.advisoryIds.length === 0 ? "none" : verdict.advisoryIds.join(", ")],
    ["TCB date", verdict.tcbDate],
    ["FMSPC", verdict.fmspc],
    ["TCB info", `evaluation data number ${verdict.tcbEvaluationDataNumber}, issued ${verdict.tcbInfoIssueDate}`],
    ["collateral valid until", verdict.collateralValidUntil],
    ...(verdict.teeType === "SGX" ? sgxRows(verdict.measurement) : tdxRows(verdict.measurement)),
    ["report data", verdict.reportData],
  ];
}

function sgxRows(measurement: SgxMeasurement): ResultRow[] {
  return [
    ["MRENCLAVE", measurement.mrEnclave],
    ["MRSIGNER", measurement.mrSigner],
    ["ISV product id", String(measurement.isvProdId)],
    ["ISV SVN", String(measurement.isvSvn)],
    ["attributes", measurement.attributes],
  ];
}

function tdxRows(measurement: TdxMeasurement): ResultRow[] {
  return [
    ["MRTD", measurement.mrTd],
    ["RTMR0", measurement.rtmr0],
    ["RTMR1", measurement.rtmr1],
    ["RTMR2", measurement.rtmr2],
    ["RTMR3", measurement.rtmr3],
    ["TD attributes", measurement.tdAttributes],
  ];
}
