// Every reason the SMS gives for refusing an enclave its secrets, in the order the checks run.
// Each is the `error.code` of a 403 answer to POST /v1/sessions and the `reason` of its audit entry.
import type { QuoteRefusalReason } from "../../src/attestation/index.ts";
import type { BindingRefusal } from "../persistence/EnclaveBindingRepository.ts";

export type SessionRefusalReason =
  | "ENCLAVE_KEY_MISMATCH"
  | "BAD_WORKER_SIGNATURE"
  | QuoteRefusalReason
  | "DEAL_NOT_FOUND"
  | "MEASUREMENT_MISMATCH"
  | "INVALID_AUTHORIZATION"
  | "DEAL_NOT_TEE"
  | "TASK_INDEX_OUT_OF_RANGE"
  | "TASK_FINALIZED"
  | "DEAL_EXPIRED"
  | "DATASET_NOT_IN_DEAL"
  | BindingRefusal
  | "INVALID_REQUEST_PARAMS"
  | "DATASET_KEY_MISSING"
  | "REQUESTER_SECRET_MISSING";

/** What each refusal means, in check order; the OpenAPI document lists these. */
export const SESSION_REFUSALS: ReadonlyArray<readonly [SessionRefusalReason, string]> = [
  ["ENCLAVE_KEY_MISMATCH", "the enclave address the request names is not the address of its public key"],
  ["BAD_WORKER_SIGNATURE", "the session request is not signed by the worker it names (SessionRequest over task, attempt, enclave and quote)"],
  ["MALFORMED_QUOTE", "the quote does not parse as a quote"],
  ["UNTRUSTED_ROOT", "the quote's certification chain ends at a root the SMS does not trust"],
  ["BAD_CERT_CHAIN", "the platform certificate is not issued by the trusted root, or does not certify the signing key"],
  ["CERT_EXPIRED", "a certificate of the chain has expired"],
  ["CERT_NOT_YET_VALID", "a certificate of the chain is not valid yet"],
  ["BAD_QUOTE_SIGNATURE", "the quote's signature does not verify under the certified platform key"],
  ["DEBUG_ENCLAVE", "the quote comes from a debug enclave, whose memory the host can read"],
  ["SECURITY_VERSION_TOO_LOW", "the enclave's security version is below the SMS's minimum"],
  ["REPORT_DATA_MISMATCH", "the quote's report data does not commit to the address of enclavePublicKey"],
  ["STALE_QUOTE", "the quote's nonce is not a challenge issued by this SMS, or it expired"],
  ["REPLAYED_QUOTE", "the quote's challenge was already answered"],
  ["DEAL_NOT_FOUND", "no deal with this id is committed on-chain"],
  ["MEASUREMENT_MISMATCH", "the enclave's measurement is not the one registered for the deal's app"],
  ["INVALID_AUTHORIZATION", "the authorization is not signed by the deal's workerpool owner for this worker, task and enclave"],
  ["DEAL_NOT_TEE", "the deal does not require an enclave (tag bit 0 is clear)"],
  ["TASK_INDEX_OUT_OF_RANGE", "the task index is not below the deal's volume"],
  ["TASK_FINALIZED", "the task is finalized on-chain: its result was accepted or it was claimed"],
  ["DEAL_EXPIRED", "the deal's deadline has passed on-chain"],
  ["DATASET_NOT_IN_DEAL", "the dataset asked for is not the deal's dataset"],
  ["ENCLAVE_ALREADY_BOUND", "this attempt of the task already received its secrets in another enclave"],
  ["STALE_ATTEMPT", "a later attempt of the task already received its secrets; an older attempt is never reopened"],
  ["TOO_MANY_ATTEMPTS", "the task already had as many attempts as the SMS serves"],
  ["INVALID_REQUEST_PARAMS", "the deal's params name requester secrets in a form no secret can have, or hold a NUL character"],
  ["DATASET_KEY_MISSING", "the deal's dataset owner has not pushed its key to this SMS"],
  ["REQUESTER_SECRET_MISSING", "a requester secret named in the deal's params is not stored"],
];
