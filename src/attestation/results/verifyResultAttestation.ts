// The requester's and the auditor's verification of a TEE result, offline: given what the chain
// accepted, the envelope stored under the result CID and the attestation bundle it names, every
// link from the trusted root to the on-chain result is checked and reported, one named check each.
import { createHash } from "node:crypto";
import { getAddress, type TypedDataDomain } from "ethers";
import { hexToBytes } from "../../crypto/hex.ts";
import { decodeResultAttestation, ResultAttestationError, type ResultAttestation } from "../../wire/attestation/resultAttestation.ts";
import { recoverEnclaveAttestedSigner, recoverResultSigner } from "../../wire/eip712/index.ts";
import type { AcceptedQuote, CollateralSource, DcapVerifier } from "../dcap/index.ts";
import type { TcbStatus } from "../dcap/tcbStatus.ts";
import { judgeAttestation } from "../policy/index.ts";
import { bindsEnclaveAddress } from "../reportData.ts";

/** Each link, in the order checked. */
export const RESULT_CHECKS = [
  /** The bytes under the result CID hash to the result digest accepted on-chain. */
  "RESULT_DIGEST",
  /** The result's envelope names this bundle's CID. */
  "BUNDLE_LINK",
  /** The bundle parses and is for this task, worker and enclave. */
  "BUNDLE_FORMAT",
  /** The quote verifies under the trusted root with the platform's collateral, at the stated time. */
  "QUOTE_VALID",
  /** The quote's report data commits to the enclave key. */
  "REPORT_DATA_BINDS_KEY",
  /** That key signed the result statement (worker, task, result digest, result CID) accepted on-chain. */
  "KEY_SIGNED_RESULT",
  /** The enclave's measurement is the app's on-chain measurement. */
  "MEASUREMENT",
  /** The SMS's EnclaveAttested signature in the bundle is by the contract's SMS signer (skipped when there is none). */
  "SMS_VERDICT",
  /** The platform's TCB status is one the requester accepts. */
  "TCB_STATUS",
] as const;
export type ResultCheck = (typeof RESULT_CHECKS)[number];

export type CheckOutcome = { check: ResultCheck; outcome: "passed" | "failed" | "skipped"; detail: string };

/** What the chain accepted for the task, read by the caller from the ResultPushed log and its transaction. */
export type AcceptedResult = {
  taskId: string;
  worker: string;
  enclave: string;
  resultDigest: string;
  resultCid: string;
  /** The enclave's signature of the result statement, from the push transaction. */
  enclaveSignature: string;
  /** The app's measurement registered on-chain (bytes32 hex). */
  appMeasurement: string;
  /** The SMS signer the verdict must be signed by (the contract's, unless the caller names one); undefined when there is none. */
  smsSigner: string | undefined;
  /** The protocol's EIP-712 domain (chain id and contract). */
  domain: TypedDataDomain;
};

export type ResultEvidence = {
  /** The bytes stored under the result CID (or at least their sha256 and header, read by the caller). */
  envelopeDigest: string;
  /** The attestation CID the envelope names, if any. */
  linkedAttestationCid: string | undefined;
  /** The bundle to verify and the CID of its bytes. */
  bundle: { cid: string; bytes: Uint8Array };
};

export type ResultVerificationOptions = {
  verifier: DcapVerifier;
  collateral: CollateralSource;
  /** The time validity windows are judged at. */
  at: Date;
  acceptedTcbStatuses: readonly TcbStatus[];
};

export type ResultVerification = {
  verified: boolean;
  checks: CheckOutcome[];
  bundle: ResultAttestation | undefined;
  quote: AcceptedQuote | undefined;
};

/**
 * Every check of `RESULT_CHECKS`, in order; a check that depends on one that failed is skipped, and
 * so is SMS_VERDICT without an SMS signer. The result is verified when no check failed.
 */
export async function verifyResultAttestation(
  accepted: AcceptedResult,
  evidence: ResultEvidence,
  options: ResultVerificationOptions,
): Promise<ResultVerification> {
  const checks: CheckOutcome[] = [];
  const report = (check: ResultCheck, ok: boolean, detail: string) => checks.push({ check, outcome: ok ? "passed" : "failed", detail });
  const skip = (check: ResultCheck, because: ResultCheck) => checks.push({ check, outcome: "skipped", detail: `needs ${because}` });

  const digestMatches = evidence.envelopeDigest.toLowerCase() === accepted.resultDigest.toLowerCase();
  report("RESULT_DIGEST", digestMatches, digestMatches
    ? `the content of ${accepted.resultCid} has the accepted digest ${accepted.resultDigest}`
    : `the content of ${accepted.resultCid} hashes to ${evidence.envelopeDigest}, not the accepted ${accepted.resultDigest}`);
  const linked = evidence.linkedAttestationCid;
  report("BUNDLE_LINK", linked === evidence.bundle.cid, linked === undefined
    ? "the result's envelope names no attestation bundle (version 1)"
    : linked === evidence.bundle.cid
      ? `the result's envelope names the bundle ${linked}`
      : `the result's envelope names ${linked}, the bundle given is ${evidence.bundle.cid}`);

  const bundle = readBundle(evidence.bundle.bytes, accepted);
  report("BUNDLE_FORMAT", bundle.ok, bundle.ok ? `a bundle for task ${accepted.taskId} and enclave ${getAddress(bundle.value.enclave)}` : bundle.detail);
  if (!bundle.ok) {
    for (const check of RESULT_CHECKS.slice(RESULT_CHECKS.indexOf("QUOTE_VALID"))) skip(check, "BUNDLE_FORMAT");
    return { verified: false, checks, bundle: undefined, quote: undefined };
  }
  const attestation = bundle.value;

  const verdict = await options.verifier.verifyWithSource(hexToBytes(attestation.quote), options.collateral, options.at);
  report("QUOTE_VALID", verdict.ok, verdict.ok
    ? `${verdict.teeType} quote valid under ${options.verifier.trustedRoot.certificate.subject} at ${options.at.toISOString()} (FMSPC ${verdict.fmspc}, TCB info #${verdict.tcbEvaluationDataNumber} issued ${verdict.tcbInfoIssueDate})`
    : `refused by ${verdict.check} at ${options.at.toISOString()}: ${verdict.detail}`);

  const enclave = getAddress(attestation.enclave);
  if (verdict.ok) {
    const binds = bindsEnclaveAddress(hexToBytes(verdict.reportData), enclave);
    report("REPORT_DATA_BINDS_KEY", binds, binds ? `the report data commits to ${enclave}` : `the report data does not commit to ${enclave}`);
  } else {
    skip("REPORT_DATA_BINDS_KEY", "QUOTE_VALID");
  }

  const signer = recovered(() => recoverResultSigner(accepted.domain, statementOf(accepted), accepted.enclaveSignature));
  const signedByKey = signer === enclave && getAddress(accepted.enclave) === enclave;
  report("KEY_SIGNED_RESULT", signedByKey, signedByKey
    ? `${enclave} signed result digest ${accepted.resultDigest} (CID ${accepted.resultCid}), as accepted on-chain`
    : `the result accepted on-chain is signed by ${signer ?? "no one"} for enclave ${getAddress(accepted.enclave)}, not by the bundle's ${enclave}`);

  if (verdict.ok) {
    const identity = judgeAttestation(verdict, IDENTITY_ONLY, { registeredMeasurement: accepted.appMeasurement });
    report("MEASUREMENT", identity.ok, identity.ok
      ? `the enclave measures as the app's on-chain ${accepted.appMeasurement.toLowerCase()}`
      : `${identity.check}: ${identity.detail}`);
  } else {
    skip("MEASUREMENT", "QUOTE_VALID");
  }

  const sms = smsVerdictCheck(attestation, accepted, enclave);
  if (sms === undefined) {
    checks.push({ check: "SMS_VERDICT", outcome: "skipped", detail: "no SMS signer to check the verdict against: the contract registers none and none was given" });
  } else {
    report("SMS_VERDICT", ...sms);
  }

  if (verdict.ok) {
    const accepts = options.acceptedTcbStatuses.includes(verdict.status);
    const advisories = verdict.advisoryIds.length === 0 ? "no advisories" : `advisories ${verdict.advisoryIds.join(", ")}`;
    report("TCB_STATUS", accepts, `${verdict.status} (${advisories}) is ${accepts ? "" : "not "}among the accepted ${options.acceptedTcbStatuses.join(", ")}`);
  } else {
    skip("TCB_STATUS", "QUOTE_VALID");
  }
  return { verified: checks.every((check) => check.outcome !== "failed"), checks, bundle: attestation, quote: verdict.ok ? verdict : undefined };
}

/** The identity part of the policy only: TCB statuses are the requester's `--accept-tcb`, judged apart. */
const IDENTITY_ONLY = {
  acceptedTcbStatuses: ["UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate", "OutOfDateConfigurationNeeded"],
  allowedAdvisoryIds: ["*"],
  minIsvSvn: 0,
} as const;

function readBundle(bytes: Uint8Array, accepted: AcceptedResult): { ok: true; value: ResultAttestation } | { ok: false; detail: string } {
  let bundle: ResultAttestation;
  try {
    bundle = decodeResultAttestation(bytes);
  } catch (error) {
    if (error instanceof ResultAttestationError) return { ok: false, detail: error.message };
    throw error;
  }
  if (bundle.taskId.toLowerCase() !== accepted.taskId.toLowerCase()) return { ok: false, detail: `the bundle is for task ${bundle.taskId}, not ${accepted.taskId}` };
  if (getAddress(bundle.worker) !== getAddress(accepted.worker)) return { ok: false, detail: `the bundle names worker ${bundle.worker}, the result ${accepted.worker}` };
  return { ok: true, value: bundle };
}

/** The SMS verdict's check, or undefined when there is no SMS signer to check it against. */
function smsVerdictCheck(attestation: ResultAttestation, accepted: AcceptedResult, enclave: string): [boolean, string] | undefined {
  if (accepted.smsSigner === undefined) return undefined;
  const verdict = attestation.smsVerdict;
  if (verdict === null) return [false, "the bundle carries no SMS verdict"];
  const signer = recovered(() => recoverEnclaveAttestedSigner(accepted.domain, { taskId: accepted.taskId, enclave }, verdict.signature));
  const smsSigner = getAddress(accepted.smsSigner);
  return signer === smsSigner
    ? [true, `the SMS ${smsSigner} attested ${enclave} (${verdict.teeType}, ${verdict.tcbStatus}) at ${verdict.judgedAt}`]
    : [false, `the verdict is signed by ${signer ?? "no one"}, not the contract's SMS signer ${smsSigner}`];
}

function statementOf(accepted: AcceptedResult) {
  return { worker: accepted.worker, taskId: accepted.taskId, resultDigest: accepted.resultDigest, resultCid: accepted.resultCid };
}

function recovered(recover: () => string): string | undefined {
  try {
    return getAddress(recover());
  } catch {
    return undefined;
  }
}

/** sha256 of the envelope as 0x-hex, as the chain records result digests. */
export function envelopeDigest(envelope: Uint8Array): string {
  return `0x${createHash("sha256").update(envelope).digest("hex")}`;
}
