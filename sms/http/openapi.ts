// The OpenAPI 3.1 description of the SMS API, served at GET /openapi.json: what an enclave, a
// data owner, an app developer and a requester send, what they get back, and every refusal code.
import { ERROR_SCHEMA, errorResponse } from "../../src/http/openApiErrors.ts";
import { SESSION_REFUSALS } from "../sessions/sessionRefusals.ts";
import { MAX_AUDIT_QUERY_LIFETIME_SECONDS } from "../audit/readAudit.ts";
import { MAX_SECRET_BYTES } from "./secretRoutes.ts";
import { MAX_QUOTE_BYTES } from "./sessionRoutes.ts";

const hex = (description: string, pattern = "^0x([0-9a-fA-F]{2})*$") => ({ type: "string", pattern, description });
const uint = (description: string) => ({
  oneOf: [{ type: "integer", minimum: 0 }, { type: "string", pattern: "^(0|[1-9][0-9]{0,77})$" }],
  description: `${description} (a number or a decimal string)`,
});
const address = (description: string) => hex(description, "^0x[0-9a-fA-F]{40}$");
const signature = (description: string) => hex(description, "^0x[0-9a-fA-F]{130}$");
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ "application/json": { schema } });
const internalError = errorResponse("INTERNAL: an unexpected fault, detailed in the SMS log only");

const refusalList = SESSION_REFUSALS.map(([code, meaning]) => `- \`${code}\`: ${meaning}`).join("\n");

const schemas = {
  Error: ERROR_SCHEMA,
  Challenge: {
    type: "object",
    required: ["nonce", "expiresAt", "ttlSeconds"],
    properties: {
      nonce: hex("32 random bytes: the second half of the quote's report data, buildReportData(enclaveAddress, nonce)"),
      expiresAt: { type: "string", format: "date-time" },
      ttlSeconds: { type: "integer" },
    },
  },
  SessionRequest: {
    type: "object",
    additionalProperties: false,
    required: ["quote", "enclavePublicKey", "worker", "dealId", "taskIndex", "attempt", "dealBlock", "authorization", "workerSignature"],
    properties: {
      quote: hex(`the enclave's Intel DCAP quote (SGX v3/v4 or TDX v4), at most ${MAX_QUOTE_BYTES} bytes; its report data is commitment(enclave address) || challenge nonce`),
      enclavePublicKey: hex("the enclave's secp256k1 public key, uncompressed (0x04 || x || y)", "^0x04[0-9a-fA-F]{128}$"),
      worker: address("the worker running the enclave, as named in the authorization"),
      dealId: hex("the deal id", "^0x[0-9a-fA-F]{64}$"),
      taskIndex: uint("the task's index in the deal"),
      attempt: {
        type: "integer",
        minimum: 1,
        maximum: 1000,
        description:
          "which attempt of the task this is (1 for the first); the SMS releases a task's secrets to one enclave per attempt, " +
          "never reopens an older attempt (STALE_ATTEMPT) and serves a bounded number of attempts (TOO_MANY_ATTEMPTS)",
      },
      dealBlock: { type: "integer", minimum: 0, description: "the block of the deal's DealCreated log; the SMS looks for the deal there only" },
      authorization: signature(
        "the workerpool owner's EIP-712 signature of Authorization(address worker, bytes32 taskId, address enclave) " +
          "under the protocol's domain, where taskId = keccak256(abi.encode(dealId, taskIndex)) and enclave is the " +
          "address of enclavePublicKey",
      ),
      workerSignature: signature(
        "the worker's EIP-712 signature of SessionRequest(address worker, bytes32 taskId, uint256 attempt, address enclave, " +
          "bytes32 quoteHash) under the protocol's domain, where quoteHash = keccak256(quote bytes); refused with BAD_WORKER_SIGNATURE otherwise",
      ),
      dataset: uint("optional: the dataset the enclave expects; refused with DATASET_NOT_IN_DEAL unless it is the deal's"),
      measurementDocument: {
        type: "string",
        maxLength: 2048,
        description:
          "optional: the app's measurement document (JSON, format continuum-measurement/1), when the app's on-chain " +
          "measurement is its sha256 rather than a bare MRENCLAVE: an SGX enclave by mrEnclave and/or mrSigner + isvProdId " +
          "(+ minIsvSvn), a TDX TD by mrTd and rtmr0..rtmr3",
      },
    },
  },
  SealedNamedSecret: {
    type: "object",
    required: ["name", "version", "sealed"],
    properties: {
      name: { type: "string" },
      version: { type: "integer" },
      sealed: hex("the secret sealed to enclavePublicKey; open with openAsEnclave(sealed, enclavePrivateKey)"),
    },
  },
  Session: {
    type: "object",
    required: ["sessionId", "dealId", "taskIndex", "taskId", "attempt", "worker", "enclave", "secrets"],
    properties: {
      sessionId: { type: "integer", description: "the id of this decision in the audit log" },
      dealId: { type: "string" },
      taskIndex: { type: "string" },
      taskId: { type: "string" },
      attempt: { type: "integer" },
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
                properties: {
                  id: { type: "string" },
                  version: { type: "integer" },
                  sealedKey: hex("the 32-byte dataset key sealed to enclavePublicKey"),
                },
              },
              { type: "null" },
            ],
            description: "the deal's dataset key, null for a deal without dataset",
          },
          app: { type: "array", items: ref("SealedNamedSecret"), description: "every secret of the deal's app" },
          requester: {
            type: "array",
            items: ref("SealedNamedSecret"),
            description: "the requester secrets named in the deal's params: {\"requesterSecrets\": [names]}",
          },
        },
      },
    },
  },
  SecretPushRequest: {
    type: "object",
    additionalProperties: false,
    required: ["push", "value", "signature"],
    properties: {
      push: {
        type: "object",
        additionalProperties: false,
        required: ["kind", "asset", "owner", "name", "version", "expiry"],
        properties: {
          kind: { enum: ["dataset", "app", "requester"], description: "uint8 0, 1, 2 in the signed message" },
          asset: uint("dataset id, app id, or 0 for a requester secret"),
          owner: address("the on-chain owner of the dataset or app, or the requester; the signer"),
          name: { type: "string", description: "empty for a dataset key; otherwise [A-Za-z0-9][A-Za-z0-9_.-]{0,63}" },
          version: uint("1 to create; current version + 1 to replace"),
          expiry: uint("unix time after which the SMS refuses this signed push"),
        },
      },
      value: hex(`the secret, 1 to ${MAX_SECRET_BYTES} bytes; a dataset key is exactly 32 bytes`),
      signature: signature(
        "EIP-712 signature by owner of SecretPush(uint8 kind,uint256 asset,address owner,string name,bytes32 secretHash," +
          "uint256 version,uint256 expiry) under the protocol's domain, secretHash = keccak256(value)",
      ),
    },
  },
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
  AuditRequest: {
    type: "object",
    additionalProperties: false,
    required: ["query", "signature"],
    properties: {
      query: {
        type: "object",
        additionalProperties: false,
        required: ["reader", "kind", "asset", "expiry"],
        properties: {
          reader: address("the signer: the dataset's or app's on-chain owner, or the requester"),
          kind: { enum: ["dataset", "app", "requester"] },
          asset: uint("dataset id, app id, or 0 for the reader's requester secrets"),
          expiry: uint(`unix time, at most ${MAX_AUDIT_QUERY_LIFETIME_SECONDS}s ahead`),
        },
      },
      signature: signature(
        "EIP-712 signature by reader of AuditQuery(address reader,uint8 kind,uint256 asset,uint256 expiry) under the protocol's domain",
      ),
      afterId: { type: "integer", minimum: 0, default: 0 },
      limit: { type: "integer", minimum: 1, maximum: 500, default: 100 },
    },
  },
  AuditPage: {
    type: "object",
    required: ["entries", "nextAfterId"],
    properties: {
      entries: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "integer" },
            at: { type: "string", format: "date-time" },
            action: { enum: ["session", "push"] },
            outcome: { enum: ["released", "refused", "stored"] },
            reason: { type: ["string", "null"] },
            detail: { type: "string" },
            actor: { type: ["string", "null"], description: "the worker of a session, the signer of a push" },
            dealId: { type: ["string", "null"] },
            taskIndex: { type: ["string", "null"] },
            taskId: { type: ["string", "null"] },
            enclave: { type: ["string", "null"] },
            measurement: { type: ["string", "null"] },
            app: { type: ["string", "null"] },
            dataset: { type: ["string", "null"] },
            requester: { type: ["string", "null"] },
            secrets: { type: "array", description: "the secrets released or pushed: kind, asset, name, version; never values" },
          },
        },
      },
      nextAfterId: { type: ["integer", "null"], description: "pass as afterId for the next page; null when there is none" },
    },
  },
};

export const SMS_OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "Continuum Secret Management Service",
    version: "1.0.0",
    description:
      "Keeps dataset keys, app secrets and requester secrets encrypted at rest, and releases them, sealed to the " +
      "enclave's key, only to an attested enclave running the deal's app for a live TEE task its workerpool " +
      "authorized. Signed messages use the protocol's EIP-712 domain: name \"Continuum\", version \"1\", the " +
      "chain id and the Continuum contract. Every error is `{ error: { code, message, details } }`.",
  },
  paths: {
    "/v1/challenges": {
      post: {
        summary: "Issue a freshness challenge for the enclave's quote",
        description:
          "Put the nonce in the quote's report data; each challenge is answered once, before it expires. A client holds a bounded " +
          "number of unanswered challenges at once (256 by default), and the SMS a bounded number in all.",
        responses: {
          201: { description: "a challenge", content: json(ref("Challenge")) },
          429: errorResponse("TOO_MANY_CHALLENGES: answer or let some expire first; Retry-After says when"),
          500: internalError,
        },
      },
    },
    "/v1/sessions": {
      post: {
        summary: "Release the task's secrets to an attested enclave",
        description: `Checks run in this order; the first failing one answers 403 with its code:\n${refusalList}`,
        requestBody: { required: true, content: json(ref("SessionRequest")) },
        responses: {
          200: { description: "the secrets, each sealed to enclavePublicKey", content: json(ref("Session")) },
          400: errorResponse("INVALID_REQUEST, INVALID_JSON or INVALID_ENCLAVE_KEY"),
          403: errorResponse("refused: error.code is the reason, details.sessionId the audit entry"),
          413: errorResponse("BODY_TOO_LARGE"),
          503: errorResponse("CHAIN_UNAVAILABLE or DATABASE_UNAVAILABLE"),
          500: internalError,
        },
      },
    },
    "/v1/secrets": {
      post: {
        summary: "Store or replace a secret, signed by its on-chain owner",
        requestBody: { required: true, content: json(ref("SecretPushRequest")) },
        responses: {
          201: { description: "created (version 1)", content: json(ref("StoredSecret")) },
          200: { description: "replaced by the next version", content: json(ref("StoredSecret")) },
          400: errorResponse("INVALID_REQUEST, INVALID_JSON or INVALID_SECRET"),
          401: errorResponse("INVALID_SIGNATURE or REQUEST_EXPIRED"),
          403: errorResponse("NOT_ASSET_OWNER"),
          404: errorResponse("ASSET_NOT_FOUND, or SECRET_NOT_FOUND for an update of nothing"),
          409: errorResponse("SECRET_EXISTS (push version current + 1 to replace) or VERSION_CONFLICT"),
          413: errorResponse("BODY_TOO_LARGE"),
          503: errorResponse("CHAIN_UNAVAILABLE or DATABASE_UNAVAILABLE"),
          500: internalError,
        },
      },
    },
    "/v1/audit": {
      post: {
        summary: "Read the audit entries concerning one's dataset, app or requester secrets",
        requestBody: { required: true, content: json(ref("AuditRequest")) },
        responses: {
          200: { description: "a page of entries, oldest first", content: json(ref("AuditPage")) },
          400: errorResponse("INVALID_REQUEST, INVALID_JSON or EXPIRY_TOO_FAR"),
          401: errorResponse("INVALID_SIGNATURE or REQUEST_EXPIRED"),
          403: errorResponse("NOT_ASSET_OWNER"),
          404: errorResponse("ASSET_NOT_FOUND"),
          413: errorResponse("BODY_TOO_LARGE"),
          503: errorResponse("CHAIN_UNAVAILABLE or DATABASE_UNAVAILABLE"),
          500: internalError,
        },
      },
    },
    "/health": { get: { summary: "Liveness", responses: { 200: { description: "{ status: \"ok\" }" }, 500: internalError } } },
    "/openapi.json": { get: { summary: "This document", responses: { 200: { description: "OpenAPI 3.1" }, 500: internalError } } },
  },
  components: { schemas },
} as const;
