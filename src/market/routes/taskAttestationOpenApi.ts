// OpenAPI documentation of GET /v1/deals/{dealId}/tasks/{index}/attestation and of the attestation
// bundle it relays (src/wire/attestation/resultAttestation.ts).
import { jsonResponse } from "../../http/openApiSchemas.ts";
import type { OpenApiPaths } from "../../http/routeModule.ts";
import type { MarketErrorCode } from "../MarketError.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const BYTES32 = { type: "string", pattern: "^0x[0-9a-f]{64}$" };
const ADDRESS = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$", description: "Checksummed address" };
const HEX = (description: string) => ({ type: "string", pattern: "^0x([0-9a-fA-F]{2})+$", description });

const SMS_VERDICT = {
  type: ["object", "null"],
  description: "The SMS's verdict when it released the task's secrets to this enclave; null when the SMS signs none",
  required: ["signature", "signer", "teeType", "tcbStatus", "advisoryIds", "measurement", "judgmentBlock", "judgedAt"],
  properties: {
    signature: HEX("The SMS's EIP-712 signature of EnclaveAttested(taskId, enclave): the result's smsAttestation"),
    signer: ADDRESS,
    teeType: { type: "string", enum: ["SGX", "TDX"] },
    tcbStatus: { type: "string", description: "The platform's TCB status as the SMS's DCAP verification found it" },
    advisoryIds: { type: "array", items: { type: "string" } },
    measurement: { ...BYTES32, description: "The app's on-chain measurement the enclave matched" },
    judgmentBlock: { type: "integer" },
    judgedAt: { type: "string", format: "date-time" },
    collateral: {
      type: "object",
      description: "The collateral the SMS judged the quote with",
      required: ["fmspc", "pceId", "tcbEvaluationDataNumber", "tcbInfoIssueDate", "tcbDate", "validUntil"],
      properties: {
        fmspc: HEX("The platform's FMSPC"),
        pceId: HEX("The platform's PCE-ID"),
        tcbEvaluationDataNumber: { type: "integer", description: "The TCB info's tcbEvaluationDataNumber" },
        tcbInfoIssueDate: { type: "string", format: "date-time", description: "The TCB info's issue date" },
        tcbDate: { type: "string" },
        validUntil: { type: "string", format: "date-time" },
      },
    },
  },
};

export const TASK_ATTESTATION_SCHEMAS: Record<string, unknown> = {
  ResultAttestation: {
    type: "object",
    description: "The attestation bundle published with a TEE result (format continuum/result-attestation/v1)",
    required: ["format", "dealId", "taskIndex", "taskId", "worker", "enclave", "appMeasurement", "quote", "smsVerdict"],
    properties: {
      format: { type: "string", const: "continuum/result-attestation/v1" },
      dealId: BYTES32,
      taskIndex: { type: "string", pattern: "^[0-9]{1,78}$" },
      taskId: BYTES32,
      worker: ADDRESS,
      enclave: { ...ADDRESS, description: "The enclave key: the quote's report data commits to it and it signed the result" },
      appMeasurement: { ...BYTES32, description: "The measurement the enclave attested as" },
      quote: HEX("The enclave's Intel DCAP quote (SGX or TDX)"),
      smsVerdict: SMS_VERDICT,
    },
  },
  TaskAttestation: {
    type: "object",
    description: "A completed task's attestation, relayed as IPFS holds it: verify it with `continuum result verify`",
    required: ["dealId", "index", "taskId", "enclave", "resultCid", "attestationCid", "attestation"],
    properties: {
      dealId: BYTES32,
      index: { type: "string", pattern: "^[0-9]{1,78}$" },
      taskId: BYTES32,
      enclave: { ...ADDRESS, description: "The enclave the chain accepted the result from" },
      resultCid: { type: "string", description: "IPFS CID of the encrypted result; its envelope names attestationCid" },
      attestationCid: { type: "string", description: "IPFS CID of the attestation bundle" },
      attestation: ref("ResultAttestation"),
    },
  },
};

export const TASK_ATTESTATION_PATHS: OpenApiPaths = {
  "/v1/deals/{dealId}/tasks/{index}/attestation": {
    get: {
      summary: "A completed TEE task's attestation bundle: the enclave's quote, its key and the SMS's verdict",
      description:
        "Found through the result: the envelope stored under the task's result CID names the bundle's CID (and the result digest " +
        "accepted on-chain commits to it). The market relays the bundle and vouches for nothing; `continuum result verify` checks it.",
      operationId: "getTaskAttestation",
      parameters: [
        { name: "dealId", in: "path", required: true, schema: BYTES32 },
        { name: "index", in: "path", required: true, description: "The task's index in the deal, from 0", schema: { type: "string", pattern: "^[0-9]{1,78}$" } },
      ],
      responses: { "200": jsonResponse("The task's attestation", ref("TaskAttestation")) },
      errors: [
        "INVALID_DEAL_ID",
        "INVALID_TASK_INDEX",
        "DEAL_NOT_FOUND",
        "TASK_NOT_FOUND",
        "RESULT_NOT_READY",
        "ATTESTATION_NOT_FOUND",
        "ATTESTATION_INVALID",
        "ATTESTATION_UNAVAILABLE",
      ] satisfies MarketErrorCode[],
    },
  },
};
