// The relying party's policy over a quote DCAP verification accepted: which TCB statuses and
// advisories are acceptable, which SGX attributes an enclave may run with, the lowest ISV SVN, and
// the app's identity the enclave must have (its on-chain measurement, or a measurement document
// hashing to it). Pure: the SMS applies it to sessions, `continuum result verify` to results.
import type { AcceptedQuote, SgxMeasurement, TdxMeasurement } from "../dcap/verdict.ts";
import { TCB_STATUSES, type TcbStatus } from "../dcap/tcbStatus.ts";
import { measurementOfDocument, type MeasurementDocument, type SgxMeasurementDocument, type TdxMeasurementDocument } from "./measurementDocument.ts";

export type AttestationPolicy = {
  /** TCB statuses accepted; Revoked never is. */
  acceptedTcbStatuses: readonly TcbStatus[];
  /** Advisory IDs a quote may carry; "*" accepts any advisory of an accepted status. */
  allowedAdvisoryIds: readonly string[];
  /** Lowest ISV SVN accepted of any SGX enclave; an app's document may ask for more. */
  minIsvSvn: number;
};

export const DEFAULT_ATTESTATION_POLICY: AttestationPolicy = {
  acceptedTcbStatuses: ["UpToDate", "SWHardeningNeeded"],
  allowedAdvisoryIds: ["*"],
  minIsvSvn: 1,
};

/** What the enclave must be: the app's on-chain measurement, and the document it stands for when it is one. */
export type ExpectedEnclave = { registeredMeasurement: string; document?: MeasurementDocument };

export const POLICY_CHECKS = [
  "TCB_STATUS_NOT_ACCEPTED",
  "ADVISORY_NOT_ACCEPTED",
  "SGX_ATTRIBUTES",
  "SGX_MISCSELECT",
  "MEASUREMENT_DOCUMENT_MISMATCH",
  "TEE_MISMATCH",
  "MEASUREMENT_MISMATCH",
  "ISV_SVN_TOO_LOW",
] as const;
export type PolicyCheck = (typeof POLICY_CHECKS)[number];

export type PolicyJudgement = { ok: true } | { ok: false; check: PolicyCheck; detail: string };

/**
 * SGX ATTRIBUTES flags (the low 8 bytes, little-endian). An enclave must be initialised and 64-bit;
 * it may use CET and AEX-Notify; DEBUG (the verifier refuses it already), PROVISIONKEY (a
 * provisioning enclave), EINITTOKEN_KEY (a launch enclave), KSS and every reserved bit are refused.
 */
const SGX_REQUIRED_FLAGS = 0x1n | 0x4n;
const SGX_ALLOWED_FLAGS = SGX_REQUIRED_FLAGS | 0x40n | 0x400n;

/** Judges `quote` in check order; the first failing check names the refusal. */
export function judgeAttestation(quote: AcceptedQuote, policy: AttestationPolicy, expected: ExpectedEnclave): PolicyJudgement {
  if (!policy.acceptedTcbStatuses.includes(quote.status)) {
    return refuse("TCB_STATUS_NOT_ACCEPTED", `TCB status ${quote.status} is not among the accepted ${policy.acceptedTcbStatuses.join(", ")}`);
  }
  if (!policy.allowedAdvisoryIds.includes("*")) {
    const refused = quote.advisoryIds.filter((id) => !policy.allowedAdvisoryIds.includes(id));
    if (refused.length > 0) return refuse("ADVISORY_NOT_ACCEPTED", `advisories not on the allow-list: ${refused.join(", ")}`);
  }
  if (quote.teeType === "SGX") {
    const attributes = sgxAttributeProblem(quote.measurement);
    if (attributes) return attributes;
    // The relying party's own floor before the app's identity: a refusal naming the identity then
    // means the platform and the enclave passed everything the app does not decide.
    if (quote.measurement.isvSvn < policy.minIsvSvn) return isvSvnTooLow(quote.measurement.isvSvn, policy.minIsvSvn);
  }
  const identity =
    expected.document === undefined
      ? judgeRegisteredMrEnclave(quote, expected.registeredMeasurement)
      : judgeDocument(quote, expected.registeredMeasurement, expected.document);
  if (!identity.ok) return identity;
  if (quote.teeType === "SGX") {
    const minimum = Math.max(policy.minIsvSvn, expected.document?.tee === "sgx" ? (expected.document.minIsvSvn ?? 0) : 0);
    if (quote.measurement.isvSvn < minimum) return isvSvnTooLow(quote.measurement.isvSvn, minimum);
  }
  return { ok: true };
}

/** Whether `statuses` names only TCB statuses, Revoked excepted; for configuration checks. */
export function acceptableTcbStatuses(statuses: readonly string[]): statuses is TcbStatus[] {
  return statuses.every((status) => (TCB_STATUSES as readonly string[]).includes(status) && status !== "Revoked");
}

function sgxAttributeProblem(measurement: SgxMeasurement): PolicyJudgement | undefined {
  const flags = Buffer.from(measurement.attributes.slice(2, 18), "hex").readBigUInt64LE(0);
  if ((flags & SGX_REQUIRED_FLAGS) !== SGX_REQUIRED_FLAGS) {
    return refuse("SGX_ATTRIBUTES", "the enclave is not an initialised 64-bit enclave (ATTRIBUTES.INIT and MODE64BIT must be set)");
  }
  if ((flags & ~SGX_ALLOWED_FLAGS) !== 0n) {
    return refuse("SGX_ATTRIBUTES", `the enclave runs with attributes no app enclave may have (flags 0x${flags.toString(16)}: DEBUG, PROVISIONKEY, EINITTOKEN_KEY, KSS or reserved bits)`);
  }
  if (measurement.miscSelect !== 0) return refuse("SGX_MISCSELECT", `MISCSELECT is 0x${measurement.miscSelect.toString(16)}, not 0`);
  return undefined;
}

function judgeRegisteredMrEnclave(quote: AcceptedQuote, registered: string): PolicyJudgement {
  if (quote.teeType !== "SGX") {
    return refuse("TEE_MISMATCH", "a TD is measured by a measurement document; the app registers a bare MRENCLAVE");
  }
  if (quote.measurement.mrEnclave !== registered.toLowerCase()) {
    return refuse("MEASUREMENT_MISMATCH", `MRENCLAVE ${quote.measurement.mrEnclave} is not the app's registered ${registered.toLowerCase()}`);
  }
  return { ok: true };
}

function judgeDocument(quote: AcceptedQuote, registered: string, document: MeasurementDocument): PolicyJudgement {
  const hashed = measurementOfDocument(document);
  if (hashed !== registered.toLowerCase()) {
    return refuse("MEASUREMENT_DOCUMENT_MISMATCH", `the measurement document hashes to ${hashed}, not the app's registered ${registered.toLowerCase()}`);
  }
  if (document.tee === "sgx" && quote.teeType === "SGX") return judgeSgxDocument(quote.measurement, document);
  if (document.tee === "tdx" && quote.teeType === "TDX") return judgeTdxDocument(quote.measurement, document);
  return refuse("TEE_MISMATCH", `the app is measured as ${document.tee.toUpperCase()}, the quote comes from ${quote.teeType}`);
}

function judgeSgxDocument(measurement: SgxMeasurement, document: SgxMeasurementDocument): PolicyJudgement {
  const mismatches: string[] = [];
  if (document.mrEnclave !== undefined && measurement.mrEnclave !== document.mrEnclave) mismatches.push("MRENCLAVE");
  if (document.mrSigner !== undefined && measurement.mrSigner !== document.mrSigner) mismatches.push("MRSIGNER");
  if (document.isvProdId !== undefined && measurement.isvProdId !== document.isvProdId) mismatches.push("ISVPRODID");
  return mismatches.length === 0 ? { ok: true } : refuse("MEASUREMENT_MISMATCH", `the enclave's ${mismatches.join(", ")} differ from the app's measurement document`);
}

function judgeTdxDocument(measurement: TdxMeasurement, document: TdxMeasurementDocument): PolicyJudgement {
  const registers = ["mrTd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"] as const;
  const mismatches = registers.filter((name) => measurement[name] !== document[name]);
  return mismatches.length === 0 ? { ok: true } : refuse("MEASUREMENT_MISMATCH", `the TD's ${mismatches.join(", ")} differ from the app's measurement document`);
}

function isvSvnTooLow(isvSvn: number, minimum: number): PolicyJudgement {
  return refuse("ISV_SVN_TOO_LOW", `ISV SVN ${isvSvn} is below the minimum ${minimum}`);
}

function refuse(check: PolicyCheck, detail: string): PolicyJudgement {
  return { ok: false, check, detail };
}
