// What the SMS says about a session besides the secrets, as it travels to the enclave, the worker
// and the scheduler: on a release, its EnclaveAttested signature (the `smsAttestation` of the TEE
// result) with the attestation verdict it reached; on a refusal that blames a party other than
// the workerpool, its TaskFailure signature (the evidence failTask settles on).
import { FAILURE_CAUSE, type FailureCause } from "../eip712/types.ts";

/** Which collateral the SMS judged a quote with: the platform's FMSPC and PCE-ID, the TCB info, the matched TCB level's date, and until when it held. */
export type VerdictCollateral = {
  fmspc: string;
  pceId: string;
  /** The TCB info's tcbEvaluationDataNumber and issue date: which TCB info it was. */
  tcbEvaluationDataNumber: number;
  tcbInfoIssueDate: string;
  tcbDate: string;
  /** The earliest end of validity among the collateral and certificates the verdict relied on (ISO 8601). */
  validUntil: string;
};

/** The SMS's verdict on the enclave of a released session. */
export type EnclaveVerdict = {
  /** The SMS's signature of EnclaveAttested(taskId, enclave). */
  signature: string;
  /** The SMS's signing address (the contract's smsSigner). */
  signer: string;
  teeType: "SGX" | "TDX";
  /** The platform's TCB status and advisories, as DCAP verification found them. */
  tcbStatus: string;
  advisoryIds: string[];
  /** The app measurement the enclave matched (bytes32 hex, as registered on-chain). */
  measurement: string;
  /** The block the deal and the task were judged at. */
  judgmentBlock: number;
  /** When the quote was judged (ISO 8601). */
  judgedAt: string;
  /** The collateral the quote was judged with (absent from SMSes that predate it). */
  collateral?: VerdictCollateral;
};

/** The SMS's verdict that a task cannot run through someone else's fault than the workerpool's. */
export type FailureVerdict = {
  cause: FailureCause;
  /** The attempt the SMS refused (1 for the first). */
  attempt: number;
  /** The SMS's signature of TaskFailure(taskId, cause, attempt). */
  signature: string;
  signer: string;
};

const CAUSES = new Set<number>(Object.values(FAILURE_CAUSE));
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A failure verdict from untrusted JSON (an SMS answer, a worker's report), or undefined if it is not one. */
export function readFailureVerdict(value: unknown): FailureVerdict | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { cause, attempt, signature, signer } = value as Record<string, unknown>;
  if (typeof cause !== "number" || !CAUSES.has(cause)) return undefined;
  if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 1 || attempt > 0xffffffff) return undefined;
  if (typeof signature !== "string" || !SIGNATURE.test(signature)) return undefined;
  if (typeof signer !== "string" || !ADDRESS.test(signer)) return undefined;
  return { cause: cause as FailureCause, attempt, signature, signer };
}

/** The party a cause names, for people: "requester", "dataset owner", "app owner". */
export function causeName(cause: FailureCause): string {
  return cause === FAILURE_CAUSE.requester ? "requester" : cause === FAILURE_CAUSE.datasetOwner ? "dataset owner" : "app owner";
}
