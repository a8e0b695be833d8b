// The JSON bodies the SMS accepts, validated once at the edge by parseBody (fields.ts); the
// OpenAPI document is generated from these same schemas.
import { z } from "zod";
import { DATASET_KEY_NAME, SECRET_KINDS, SECRET_NAME } from "../../src/wire/smsApi/secretKinds.ts";
import { MAX_AUDIT_QUERY_LIFETIME_SECONDS } from "../audit/readAudit.ts";
import { address, bytes32, hexBytes, safeCount, signature65, uint256 } from "./fields.ts";

/** DCAP quotes with their PCK chain are 4 to 6 KiB. */
export const MAX_QUOTE_BYTES = 16_384;
/** A measurement document is a few hundred bytes of JSON. */
export const MAX_MEASUREMENT_DOCUMENT_LENGTH = 2_048;

export const sessionBodySchema = z.strictObject({
  quote: hexBytes(1, MAX_QUOTE_BYTES).meta({
    description:
      `the enclave's Intel DCAP quote (SGX v3/v4 or TDX v4), at most ${MAX_QUOTE_BYTES} bytes; its report data is ` +
      "keccak256('continuum/attestation/enclave-address/v1' || enclave address) || the challenge nonce",
  }),
  enclavePublicKey: z
    .string({ error: "must be an uncompressed secp256k1 public key" })
    .regex(/^0x04[0-9a-fA-F]{128}$/, { error: "must be an uncompressed secp256k1 public key: 0x04 followed by 128 hex digits" })
    .meta({ description: "the enclave's secp256k1 public key, uncompressed (0x04 || x || y)" }),
  worker: address.meta({ description: "the worker running the enclave, as named in the authorization" }),
  dealId: bytes32.meta({ description: "the deal id" }),
  taskIndex: uint256.meta({ description: "the task's index in the deal (a number or a decimal string)" }),
  attempt: z
    .int({ error: "must be an integer from 1" })
    .min(1)
    .max(1_000)
    .meta({
      description:
        "which attempt of the task this is (1 for the first); the SMS releases a task's secrets to one enclave per attempt, " +
        "never reopens an older attempt (STALE_ATTEMPT) and serves a bounded number of attempts (TOO_MANY_ATTEMPTS)",
    }),
  dealBlock: z
    .int({ error: "must be a block number" })
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .meta({ description: "the block of the deal's DealCreated log (the scheduler's index knows it); the SMS looks for the deal there only" }),
  authorization: signature65.meta({
    description:
      "the workerpool owner's EIP-712 signature of Authorization(address worker, bytes32 taskId, address enclave) under the " +
      "protocol's domain, where taskId = keccak256(abi.encode(dealId, taskIndex)) and enclave is the address of enclavePublicKey",
  }),
  workerSignature: signature65.meta({
    description:
      "the worker's EIP-712 signature of SessionRequest(address worker, bytes32 taskId, uint256 attempt, address enclave, " +
      "bytes32 quoteHash) under the protocol's domain, where quoteHash = keccak256(quote bytes); refused with BAD_WORKER_SIGNATURE otherwise",
  }),
  dataset: uint256.meta({ description: "optional: the dataset the enclave expects; refused with DATASET_NOT_IN_DEAL unless it is the deal's" }).optional(),
  measurementDocument: z
    .string()
    .min(2)
    .max(MAX_MEASUREMENT_DOCUMENT_LENGTH)
    .meta({
      description:
        "optional: the app's measurement document (JSON, format continuum-measurement/1), when the app's on-chain measurement is " +
        "its sha256 rather than a bare MRENCLAVE: an SGX enclave by mrEnclave and/or mrSigner + isvProdId (+ minIsvSvn), a TDX TD " +
        "by mrTd and rtmr0..rtmr3",
    })
    .optional(),
});

/** The largest secret value a push may carry. */
export const MAX_SECRET_BYTES = 16_384;

const secretKind = z.enum(SECRET_KINDS, { error: `must be one of ${SECRET_KINDS.join(", ")}` });

export const secretPushBodySchema = z
  .strictObject({
    push: z.strictObject({
      kind: secretKind.meta({ description: "uint8 0, 1, 2 in the signed message" }),
      asset: uint256.meta({ description: "dataset id, app id, or 0 for a requester secret" }),
      owner: address.meta({ description: "the on-chain owner of the dataset or app, or the requester; the signer" }),
      name: z
        .string({ error: "must be a string" })
        .max(64, { error: "must be at most 64 characters" })
        .meta({ description: "empty for a dataset key; otherwise [A-Za-z0-9][A-Za-z0-9_.-]{0,63}" }),
      version: safeCount.meta({ description: "1 to create; current version + 1 to replace" }),
      expiry: uint256.meta({ description: "unix time after which the SMS refuses this signed push" }),
    }),
    value: hexBytes(1, MAX_SECRET_BYTES).meta({ description: `the secret, 1 to ${MAX_SECRET_BYTES} bytes; a dataset key is exactly 32 bytes` }),
    signature: signature65.meta({
      description:
        "EIP-712 signature by owner of SecretPush(uint8 kind,uint256 asset,address owner,string name,bytes32 secretHash," +
        "uint256 version,uint256 expiry) under the protocol's domain, secretHash = keccak256(value)",
    }),
  })
  .superRefine(({ push }, refinement) => {
    const problem = (path: string, message: string) => refinement.addIssue({ code: "custom", path: ["push", path], message });
    if (push.kind === "dataset" && push.name !== DATASET_KEY_NAME) problem("name", "must be empty: a dataset has one key");
    if (push.kind !== "dataset" && !SECRET_NAME.test(push.name)) {
      problem("name", "must be 1 to 64 characters of letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    if (push.kind === "requester" && push.asset !== 0n) problem("asset", "must be 0 for a requester secret");
    if (push.kind !== "requester" && push.asset === 0n) problem("asset", `must be the ${push.kind} id`);
  });

/** A signed audit query; the page (limit, cursor) is in the query string, outside the signature. */
export const auditBodySchema = z
  .strictObject({
    query: z.strictObject({
      reader: address.meta({ description: "the signer: the dataset's or app's on-chain owner, or the requester" }),
      kind: secretKind,
      asset: uint256.meta({ description: "dataset id, app id, or 0 for the reader's requester secrets" }),
      expiry: uint256.meta({ description: `unix time, at most ${MAX_AUDIT_QUERY_LIFETIME_SECONDS} s ahead` }),
    }),
    signature: signature65.meta({
      description: "EIP-712 signature by reader of AuditQuery(address reader,uint8 kind,uint256 asset,uint256 expiry) under the protocol's domain",
    }),
  })
  .superRefine(({ query }, refinement) => {
    if (query.kind === "requester" && query.asset !== 0n) {
      refinement.addIssue({ code: "custom", path: ["query", "asset"], message: "must be 0 for requester secrets" });
    }
    if (query.kind !== "requester" && query.asset === 0n) {
      refinement.addIssue({ code: "custom", path: ["query", "asset"], message: `must be the ${query.kind} id` });
    }
  });
