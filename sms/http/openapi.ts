// The OpenAPI description of the SMS's route modules: what an enclave, a data owner, an app
// developer and a requester send (generated from the zod schemas that validate it), what they get
// back, and the codes each route answers; the shell adds the statuses from the SMS's table.
import { jsonRequestBody, jsonResponse, jsonSchemaOf, PAGE_PARAMETERS, pageSchema, schemaRef } from "../../src/http/openApiSchemas.ts";
import type { OpenApiPaths } from "../../src/http/routeModule.ts";
import { SESSION_REFUSALS } from "../sessions/sessionRefusals.ts";
import type { SmsRequestErrorCode } from "../SmsError.ts";
import { auditBodySchema, secretPushBodySchema, sessionBodySchema } from "./requestBodies.ts";
import { pipelineJsonSchema } from "../../src/wire/pipelines/index.ts";
import { PIPELINE_REGISTRATION_CODES } from "./smsErrors.ts";

type ModuleDocument = { paths: OpenApiPaths; schemas: Record<string, unknown> };

const hex = (description: string) => ({ type: "string", pattern: "^0x([0-9a-fA-F]{2})*$", description });
const nullableString = (description?: string) => ({ type: ["string", "null"], ...(description ? { description } : {}) });

/** Every request refusal may also be: the chain or the database cannot be read right now. */
const UNAVAILABLE: readonly (SmsRequestErrorCode | "CHAIN_UNAVAILABLE")[] = ["CHAIN_UNAVAILABLE", "DATABASE_UNAVAILABLE"];
const SIGNED_REFUSALS: readonly SmsRequestErrorCode[] = ["INVALID_SIGNATURE", "REQUEST_EXPIRED", "ASSET_NOT_FOUND", "NOT_ASSET_OWNER"];

const refusalList = SESSION_REFUSALS.map(([code, meaning]) => `- \`${code}\`: ${meaning}`).join("\n");

const SEALED_NAMED_SECRET = {
  type: "object",
  required: ["name", "version", "sealed"],
  properties: {
    name: { type: "string" },
    version: { type: "integer" },
    sealed: hex("the secret sealed to enclavePublicKey; open with openAsEnclave(sealed, enclavePrivateKey)"),
  },
};

const SESSION = {
  type: "object",
  required: ["sessionId", "dealId", "taskIndex", "taskId", "attempt", "worker", "enclave", "secrets", "attestation"],
  properties: {
    sessionId: { type: "integer", description: "the id of this decision in the audit log" },
    dealId: { type: "string" },
    taskIndex: { type: "string" },
    taskId: { type: "string" },
    attempt: { type: "integer", description: "the attempt of the task this enclave now holds" },
    worker: { type: "string" },
    enclave: { type: "string", description: "the address of enclavePublicKey" },
    secrets: {
      type: "object",
      required: ["dataset", "app", "requester"],
      properties: {
        dataset: {
          oneOf: [
            {
              type: "object",
              required: ["id", "version", "sealedKey"],
              properties: { id: { type: "string" }, version: { type: "integer" }, sealedKey: hex("the 32-byte dataset key sealed to enclavePublicKey") },
            },
            { type: "null" },
          ],
          description: "the deal's dataset key, null for a deal without dataset",
        },
        app: { type: "array", items: schemaRef("SealedNamedSecret"), description: "every secret of the deal's app" },
        requester: {
          type: "array",
          items: schemaRef("SealedNamedSecret"),
          description: "the requester secrets named in the deal's params: {\"requesterSecrets\": [names]}",
        },
        pipeline: {
          ...schemaRef("ReleasedStageKeys"),
          description: "present only when the deal's params name a pipeline stage (params {\"pipeline\": id, \"stage\": id})",
        },
      },
    },
    attestation: schemaRef("EnclaveVerdict"),
  },
};

const ENCLAVE_VERDICT = {
  type: "object",
  description: "The SMS's verdict on this enclave: the TEE result carries `signature` as its smsAttestation.",
  required: ["signature", "signer", "teeType", "tcbStatus", "advisoryIds", "measurement", "judgmentBlock", "judgedAt"],
  properties: {
    signature: hex("the SMS's EIP-712 signature of EnclaveAttested(taskId, enclave)"),
    signer: { type: "string", description: "the SMS's signing address, the contract's smsSigner" },
    teeType: { type: "string", enum: ["SGX", "TDX"] },
    tcbStatus: { type: "string", description: "the platform's TCB status (DCAP)" },
    advisoryIds: { type: "array", items: { type: "string" } },
    measurement: { type: "string", description: "the app's on-chain measurement the enclave matched" },
    judgmentBlock: { type: "integer", description: "the block the deal and the task were judged at" },
    judgedAt: { type: "string", format: "date-time" },
    collateral: {
      type: "object",
      description: "the collateral the quote was judged with",
      required: ["fmspc", "pceId", "tcbEvaluationDataNumber", "tcbInfoIssueDate", "tcbDate", "validUntil"],
      properties: {
        fmspc: hex("the platform's FMSPC"),
        pceId: hex("the platform's PCE-ID"),
        tcbEvaluationDataNumber: { type: "integer", description: "the TCB info's tcbEvaluationDataNumber" },
        tcbInfoIssueDate: { type: "string", format: "date-time", description: "the TCB info's issue date" },
        tcbDate: { type: "string", description: "the date of the matched TCB level" },
        validUntil: { type: "string", format: "date-time", description: "the earliest end of validity of the collateral and certificates relied on" },
      },
    },
  },
};

const FAILURE_VERDICT = {
  type: "object",
  description:
    "On a refusal that is not the workerpool's fault (MEASUREMENT_MISMATCH or MEASUREMENT_DOCUMENT_MISMATCH once everything else " +
    "passed: the app owner; INVALID_REQUEST_PARAMS, INVALID_RESULT_KEY, REQUESTER_SECRET_MISSING and the PIPELINE_ refusals: the " +
    "requester; DATASET_KEY_MISSING: " +
    "the dataset owner), error.details.failure carries the SMS's signed verdict; the workerpool owner settles the task with failTask.",
  required: ["cause", "attempt", "signature", "signer"],
  properties: {
    cause: { type: "integer", enum: [1, 2, 3], description: "1 requester, 2 dataset owner, 3 app owner" },
    attempt: { type: "integer", description: "the attempt refused" },
    signature: hex("the SMS's EIP-712 signature of TaskFailure(taskId, cause, attempt)"),
    signer: { type: "string" },
  },
};

const SEALED_STAGE_KEY = {
  type: "object",
  required: ["stage", "sealedKey"],
  properties: { stage: { type: "string" }, sealedKey: hex("the stage's 32-byte AES-256-GCM intermediate key, sealed to enclavePublicKey") },
};

const RELEASED_STAGE_KEYS = {
  type: "object",
  description:
    "The intermediate keys of a pipeline stage's enclave: `inputs` holds the key of every stage it reads (its parents' outputs are " +
    "sealed under them), `output` the key its own output must be sealed under, null for a final stage (sealed to the requester's " +
    "result key). No other stage's key is ever released to it.",
  required: ["id", "stage", "inputs", "output"],
  properties: {
    id: hex("the pipeline id"),
    stage: { type: "string" },
    inputs: { type: "array", items: SEALED_STAGE_KEY },
    output: { oneOf: [SEALED_STAGE_KEY, { type: "null" }] },
  },
};

export const SESSION_OPENAPI: ModuleDocument = {
  paths: {
    "/v1/challenges": {
      post: {
        summary: "Issue a freshness challenge for the enclave's quote",
        description:
          "Put the nonce in the quote's report data; each challenge is answered once, before it expires. Takes no body. A client " +
          "holds a bounded number of unanswered challenges at once (256 by default), the SMS a bounded number in all; past " +
          "that, TOO_MANY_CHALLENGES with Retry-After.",
        operationId: "issueChallenge",
        responses: { "201": jsonResponse("a challenge", schemaRef("Challenge")) },
        errors: ["TOO_MANY_CHALLENGES"],
      },
    },
    "/v1/sessions": {
      post: {
        summary: "Release the task's secrets to an attested enclave",
        description:
          `Checks run in this order; the first failing one answers 403 with its code, and details.sessionId names the audit entry ` +
          `(a refusal blaming another party than the workerpool comes last, with details.failure, a FailureVerdict):\n${refusalList}`,
        operationId: "openSession",
        requestBody: jsonRequestBody(schemaRef("SessionRequest")),
        responses: { "200": jsonResponse("the secrets, each sealed to enclavePublicKey", schemaRef("Session")) },
        errors: ["INVALID_REQUEST", "INVALID_ENCLAVE_KEY", ...SESSION_REFUSALS.map(([code]) => code), ...UNAVAILABLE],
      },
    },
  },
  schemas: {
    Challenge: {
      type: "object",
      required: ["nonce", "expiresAt", "ttlSeconds"],
      properties: {
        nonce: hex("32 random bytes: the second half of the quote's report data, buildReportData(enclaveAddress, nonce)"),
        expiresAt: { type: "string", format: "date-time" },
        ttlSeconds: { type: "integer" },
      },
    },
    SessionRequest: jsonSchemaOf(sessionBodySchema),
    SealedNamedSecret: SEALED_NAMED_SECRET,
    Session: SESSION,
    EnclaveVerdict: ENCLAVE_VERDICT,
    FailureVerdict: FAILURE_VERDICT,
    ReleasedStageKeys: RELEASED_STAGE_KEYS,
  },
};

export const SECRET_OPENAPI: ModuleDocument = {
  paths: {
    "/v1/secrets": {
      post: {
        summary: "Store or replace a secret, signed by its on-chain owner",
        description: "Version 1 creates (201); the current version + 1 replaces (200). Every outcome is written to the audit log.",
        operationId: "pushSecret",
        requestBody: jsonRequestBody(schemaRef("SecretPushRequest")),
        responses: {
          "201": jsonResponse("created (version 1)", schemaRef("StoredSecret")),
          "200": jsonResponse("replaced by the next version", schemaRef("StoredSecret")),
        },
        errors: ["INVALID_REQUEST", "INVALID_SECRET", ...SIGNED_REFUSALS, "SECRET_EXISTS", "SECRET_NOT_FOUND", "VERSION_CONFLICT", ...UNAVAILABLE],
      },
    },
  },
  schemas: {
    SecretPushRequest: jsonSchemaOf(secretPushBodySchema),
    StoredSecret: {
      type: "object",
      required: ["secret"],
      properties: {
        secret: {
          type: "object",
          required: ["kind", "asset", "name", "version", "updatedAt"],
          properties: {
            kind: { type: "string" },
            asset: { type: "string" },
            requester: { type: "string" },
            name: { type: "string" },
            version: { type: "integer" },
            updatedAt: { type: "string", format: "date-time" },
          },
        },
      },
    },
  },
};

const AUDIT_ENTRY = {
  type: "object",
  required: ["id", "at", "action", "outcome", "reason", "detail", "actor", "secrets"],
  properties: {
    id: { type: "integer" },
    at: { type: "string", format: "date-time" },
    action: { enum: ["session", "push", "pipeline"] },
    outcome: { enum: ["released", "refused", "stored"] },
    reason: nullableString("the refusal code of a refused decision"),
    detail: { type: "string" },
    actor: nullableString("the worker of a session, the signer of a push"),
    dealId: nullableString(),
    taskIndex: nullableString(),
    taskId: nullableString(),
    enclave: nullableString(),
    measurement: nullableString(),
    app: nullableString(),
    dataset: nullableString(),
    requester: nullableString(),
    secrets: {
      type: "array",
      description: "the secrets released or pushed: kind, asset, name, version (an intermediate key: kind \"intermediate\", its pipeline, name = its stage); never values",
    },
  },
};

export const AUDIT_OPENAPI: ModuleDocument = {
  paths: {
    "/v1/audit": {
      post: {
        summary: "Read the audit entries concerning one's dataset, app or requester secrets, oldest first",
        description: "The body is the signed query; the page is chosen in the query string with limit and cursor, as every list.",
        operationId: "readAudit",
        parameters: [...PAGE_PARAMETERS],
        requestBody: jsonRequestBody(schemaRef("AuditRequest")),
        responses: { "200": jsonResponse("a page of entries, oldest first", schemaRef("AuditPage")) },
        errors: ["INVALID_REQUEST", "EXPIRY_TOO_FAR", ...SIGNED_REFUSALS, "INVALID_LIMIT", "INVALID_CURSOR", ...UNAVAILABLE],
      },
    },
  },
  schemas: {
    AuditRequest: jsonSchemaOf(auditBodySchema),
    AuditEntry: AUDIT_ENTRY,
    AuditPage: pageSchema(schemaRef("AuditEntry")),
  },
};


export const PIPELINE_OPENAPI: ModuleDocument = {
  paths: {
    "/v1/pipelines": {
      post: {
        summary: "Register a pipeline signed by its requester, so its stages' enclaves can receive intermediate keys",
        description:
          "The SMS checks the document (its JSON Schema and its DAG: no cycle, no unknown input, at most one dataset per stage) and " +
          "the requester's EIP-712 PipelineSubmission(requester, documentHash, salt), then makes one AES-256 key per stage whose output " +
          "another stage reads, sealed under its master key. 201 registers; the same signed pipeline again answers 200 and changes " +
          "nothing. The answer names the stages that have a key, never a key: keys go only to the enclaves of the stages that read or " +
          "write them, in POST /v1/sessions. `continuum pipeline submit` registers a pipeline here before posting it to the market.",
        operationId: "registerPipeline",
        requestBody: jsonRequestBody(schemaRef("SignedPipeline")),
        responses: {
          "201": jsonResponse("registered", schemaRef("RegisteredPipeline")),
          "200": jsonResponse("already registered", schemaRef("RegisteredPipeline")),
        },
        errors: [...PIPELINE_REGISTRATION_CODES, ...UNAVAILABLE],
      },
    },
  },
  schemas: {
    SignedPipeline: {
      type: "object",
      required: ["document", "requester", "salt", "signature"],
      properties: {
        document: { ...pipelineJsonSchema(), $schema: undefined, $id: undefined },
        requester: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" },
        salt: hex("32 bytes the requester chooses: one document submitted twice is two pipelines"),
        signature: hex("the requester's EIP-712 signature of PipelineSubmission(requester, keccak256(canonical document JSON), salt)"),
      },
    },
    RegisteredPipeline: {
      type: "object",
      required: ["pipeline"],
      properties: {
        pipeline: {
          type: "object",
          required: ["id", "requester", "stages", "finalStages", "intermediateStages"],
          properties: {
            id: hex("keccak256(abi.encode(documentHash, requester, salt))"),
            requester: { type: "string" },
            stages: { type: "array", items: { type: "string" }, description: "stage ids, each after the stages it reads" },
            finalStages: { type: "array", items: { type: "string" }, description: "stages whose output goes to the requester" },
            intermediateStages: { type: "array", items: { type: "string" }, description: "stages whose output is sealed under an intermediate key" },
          },
        },
      },
    },
  },
};
