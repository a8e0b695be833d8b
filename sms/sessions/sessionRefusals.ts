// Every reason the SMS gives for refusing an enclave its secrets, in the order the checks run.
// Each is the `error.code` of a 403 answer to POST /v1/sessions and the `reason` of its audit entry;
// a refused quote names the DCAP link or the policy rule that failed.
import type { DcapCheck } from "../../src/attestation/dcap/index.ts";
import type { PolicyCheck } from "../../src/attestation/policy/index.ts";
import type { BindingRefusal } from "../persistence/EnclaveBindingRepository.ts";
import { FAILURE_CAUSE, type FailureCause } from "../../src/wire/eip712/types.ts";

export type SessionRefusalReason =
  | "ENCLAVE_KEY_MISMATCH"
  | "BAD_WORKER_SIGNATURE"
  | DcapCheck
  | "REPORT_DATA_MISMATCH"
  | "INVALID_MEASUREMENT_DOCUMENT"
  | "STALE_QUOTE"
  | "REPLAYED_QUOTE"
  | "DEAL_NOT_FOUND"
  | PolicyCheck
  | "INVALID_AUTHORIZATION"
  | "DEAL_NOT_TEE"
  | "TASK_INDEX_OUT_OF_RANGE"
  | "TASK_FINALIZED"
  | "DEAL_EXPIRED"
  | "DATASET_NOT_IN_DEAL"
  | BindingRefusal
  | "INVALID_REQUEST_PARAMS"
  | "INVALID_RESULT_KEY"
  | "DATASET_KEY_MISSING"
  | "REQUESTER_SECRET_MISSING"
  | "PIPELINE_UNKNOWN"
  | "PIPELINE_REQUESTER_MISMATCH"
  | "PIPELINE_STAGE_UNKNOWN"
  | "PIPELINE_APP_MISMATCH"
  | "PIPELINE_DATASET_MISMATCH";

/** What each refusal means, in check order; the OpenAPI document lists these. */
export const SESSION_REFUSALS: ReadonlyArray<readonly [SessionRefusalReason, string]> = [
  ["ENCLAVE_KEY_MISMATCH", "the enclave address the request names is not the address of its public key"],
  ["BAD_WORKER_SIGNATURE", "the session request is not signed by the worker it names (SessionRequest over task, attempt, enclave and quote)"],
  ["MALFORMED_QUOTE", "the quote does not parse as an Intel DCAP quote (details.code says how)"],
  ["MALFORMED_COLLATERAL", "the platform's collateral does not parse"],
  ["COLLATERAL_UNAVAILABLE", "no collateral could be obtained for the quote's platform"],
  ["PCK_CHAIN", "the PCK certificate chain does not lead to the trusted root"],
  ["PCK_CHAIN_EXPIRED", "a certificate of the PCK chain is outside its validity"],
  ["ROOT_CA_CRL", "the root CA CRL is not the trusted root's"],
  ["ROOT_CA_CRL_EXPIRED", "the root CA CRL is outside its validity"],
  ["PCK_CRL", "the PCK CRL is not the one of the PCK certificate's CA"],
  ["PCK_CRL_EXPIRED", "the PCK CRL is outside its validity"],
  ["PCK_REVOKED", "the platform's PCK certificate (or its CA) is revoked"],
  ["TCB_INFO_CHAIN", "the TCB info is not signed by a TCB signing certificate of the trusted root"],
  ["TCB_INFO_SIGNATURE", "the TCB info's signature does not verify"],
  ["TCB_INFO_EXPIRED", "the TCB info is outside its issueDate..nextUpdate"],
  ["TCB_INFO_MISMATCH", "the TCB info is for another TEE, FMSPC or PCE-ID"],
  ["QE_IDENTITY_CHAIN", "the QE identity is not signed by a TCB signing certificate of the trusted root"],
  ["QE_IDENTITY_SIGNATURE", "the QE identity's signature does not verify"],
  ["QE_IDENTITY_EXPIRED", "the QE identity is outside its issueDate..nextUpdate"],
  ["QE_IDENTITY_MISMATCH", "the quoting enclave is not the one Intel's QE identity describes"],
  ["QE_REPORT_SIGNATURE", "the QE report is not signed by the platform's PCK key"],
  ["QE_REPORT_DATA", "the QE report does not commit to the attestation key"],
  ["QUOTE_SIGNATURE", "the quote is not signed by the certified attestation key"],
  ["TDX_MODULE", "the TDX module is not one the TCB info names"],
  ["TCB_STATUS", "the platform's TCB reaches no level of the TCB info"],
  ["TCB_REVOKED", "the platform's TCB level is revoked"],
  ["DEBUG_ENCLAVE", "the quote comes from a debug enclave, whose memory the host can read"],
  ["DEBUG_TD", "the quote comes from a debug TD"],
  ["TD_ATTRIBUTES", "the TD runs with reserved attributes, or without SEPT_VE_DISABLE"],
  ["MR_SERVICE_TD", "the TD report is bound to a service TD"],
  ["REPORT_DATA_MISMATCH", "the quote's report data does not commit to the address of enclavePublicKey"],
  ["INVALID_MEASUREMENT_DOCUMENT", "the measurement document sent does not parse"],
  ["STALE_QUOTE", "the quote's nonce is not a challenge issued by this SMS, or it expired"],
  ["REPLAYED_QUOTE", "the quote's challenge was already answered"],
  ["DEAL_NOT_FOUND", "no deal with this id is committed on-chain at the judgment block"],
  ["TCB_STATUS_NOT_ACCEPTED", "the platform's TCB status is not one the SMS accepts"],
  ["ADVISORY_NOT_ACCEPTED", "the platform carries a security advisory the SMS does not accept"],
  ["SGX_ATTRIBUTES", "the enclave runs with attributes no app enclave may have (INIT clear, PROVISIONKEY, EINITTOKEN_KEY, KSS)"],
  ["SGX_MISCSELECT", "the enclave's MISCSELECT is not 0"],
  ["MEASUREMENT_DOCUMENT_MISMATCH", "the measurement document does not hash to the app's registered measurement"],
  ["TEE_MISMATCH", "the quote comes from another TEE than the app's measurement describes"],
  ["MEASUREMENT_MISMATCH", "the enclave's measurement is not the one registered for the deal's app"],
  ["ISV_SVN_TOO_LOW", "the enclave's ISV SVN is below the SMS's or the app's minimum"],
  ["INVALID_AUTHORIZATION", "the authorization is not signed by the deal's workerpool owner for this worker, task and enclave"],
  ["DEAL_NOT_TEE", "the deal does not require an enclave (tag bit 0 is clear)"],
  ["TASK_INDEX_OUT_OF_RANGE", "the task index is not below the deal's volume"],
  ["TASK_FINALIZED", "the task is finalized on-chain: its result was accepted or it was claimed"],
  ["DEAL_EXPIRED", "the chain time has reached the deal's deadline: no result can land any more"],
  ["DATASET_NOT_IN_DEAL", "the dataset asked for is not the deal's dataset"],
  ["ENCLAVE_ALREADY_BOUND", "this attempt of the task already received its secrets in another enclave"],
  ["STALE_ATTEMPT", "a later attempt of the task already received its secrets; an older attempt is never reopened"],
  ["TOO_MANY_ATTEMPTS", "the task already had as many attempts as the SMS serves"],
  ["INVALID_REQUEST_PARAMS", "the deal's params name requester secrets in a form no secret can have, or hold a NUL character"],
  ["INVALID_RESULT_KEY", "the deal's resultPublicKey is not an X25519 key a result can be encrypted to"],
  ["DATASET_KEY_MISSING", "the deal's dataset owner has not pushed its key to this SMS"],
  ["REQUESTER_SECRET_MISSING", "a requester secret named in the deal's params is not stored"],
  ["PIPELINE_UNKNOWN", "the deal's params name a pipeline not registered with this SMS (POST /v1/pipelines)"],
  ["PIPELINE_REQUESTER_MISMATCH", "the deal's params name a pipeline another requester signed"],
  ["PIPELINE_STAGE_UNKNOWN", "the deal's params name a stage the pipeline does not have"],
  ["PIPELINE_APP_MISMATCH", "the deal's app is not the app of the pipeline stage its params name"],
  ["PIPELINE_DATASET_MISMATCH", "the deal's dataset is not the dataset of the pipeline stage its params name"],
];

/**
 * The refusals that are not the workerpool's fault, and whom each blames. Each comes only after
 * every check the workerpool answers for passed (a genuine enclave, authorized, for a live task),
 * and once the attempt is bound to that enclave; the SMS then signs TaskFailure(taskId, cause,
 * attempt), on which the workerpool settles the task with failTask. The app's identity checks blame
 * the app owner only when reached that way (checkSession defers them).
 */
export const BLAMED_REFUSALS: Readonly<Partial<Record<SessionRefusalReason, FailureCause>>> = {
  MEASUREMENT_MISMATCH: FAILURE_CAUSE.appOwner,
  MEASUREMENT_DOCUMENT_MISMATCH: FAILURE_CAUSE.appOwner,
  INVALID_REQUEST_PARAMS: FAILURE_CAUSE.requester,
  INVALID_RESULT_KEY: FAILURE_CAUSE.requester,
  REQUESTER_SECRET_MISSING: FAILURE_CAUSE.requester,
  DATASET_KEY_MISSING: FAILURE_CAUSE.datasetOwner,
  PIPELINE_UNKNOWN: FAILURE_CAUSE.requester,
  PIPELINE_REQUESTER_MISMATCH: FAILURE_CAUSE.requester,
  PIPELINE_STAGE_UNKNOWN: FAILURE_CAUSE.requester,
  PIPELINE_APP_MISMATCH: FAILURE_CAUSE.requester,
  PIPELINE_DATASET_MISMATCH: FAILURE_CAUSE.requester,
};
