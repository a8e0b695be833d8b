// The SMS's EIP-712 messages, signed under the protocol's domain (continuumDomain): a secret push
// by its on-chain owner, an owner's query of the audit log, and a worker's session request. The
// one definition of each.
//
//   SecretPush(uint8 kind,uint256 asset,address owner,string name,bytes32 secretHash,uint256 version,uint256 expiry)
//   AuditQuery(address reader,uint8 kind,uint256 asset,uint256 expiry)
//   SessionRequest(address worker,bytes32 taskId,uint256 attempt,address enclave,bytes32 quoteHash)
//
// kind: 0 dataset key (asset = dataset id, name ""), 1 app secret (asset = app id), 2 requester
// secret (asset = 0, owner = the requester). secretHash = keccak256(secret bytes). version is 1 for
// a new secret and current + 1 for an update. expiry is a unix time after which the SMS refuses it.
// A session request is signed by the worker the workerpool owner's authorization names: it binds
// the worker to this enclave, this quote (quoteHash = keccak256(quote bytes)) and this attempt of
// the task; the SMS releases a task's secrets to at most one enclave per attempt.
import { keccak256, verifyTypedData, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";

export const SECRET_PUSH_TYPES: Record<string, TypedDataField[]> = {
  SecretPush: [
    { name: "kind", type: "uint8" },
    { name: "asset", type: "uint256" },
    { name: "owner", type: "address" },
    { name: "name", type: "string" },
    { name: "secretHash", type: "bytes32" },
    { name: "version", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
};

export const AUDIT_QUERY_TYPES: Record<string, TypedDataField[]> = {
  AuditQuery: [
    { name: "reader", type: "address" },
    { name: "kind", type: "uint8" },
    { name: "asset", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
};

export const SESSION_REQUEST_TYPES: Record<string, TypedDataField[]> = {
  SessionRequest: [
    { name: "worker", type: "address" },
    { name: "taskId", type: "bytes32" },
    { name: "attempt", type: "uint256" },
    { name: "enclave", type: "address" },
    { name: "quoteHash", type: "bytes32" },
  ],
};

export type SecretPushMessage = {
  kind: number;
  asset: bigint;
  owner: string;
  name: string;
  secretHash: string;
  version: bigint;
  expiry: bigint;
};

export type AuditQueryMessage = { reader: string; kind: number; asset: bigint; expiry: bigint };

export type SessionRequestMessage = { worker: string; taskId: string; attempt: bigint; enclave: string; quoteHash: string };

/** The value a SecretPush commits to. */
export function secretHashOf(secret: Uint8Array): string {
  return keccak256(secret);
}

export function signSecretPush(signer: Signer, domain: TypedDataDomain, message: SecretPushMessage): Promise<string> {
  return signer.signTypedData(domain, SECRET_PUSH_TYPES, message);
}

/** The signer's address; throws if the signature is malformed. */
export function recoverSecretPushSigner(domain: TypedDataDomain, message: SecretPushMessage, signature: string): string {
  return verifyTypedData(domain, SECRET_PUSH_TYPES, message, signature);
}

export function signAuditQuery(signer: Signer, domain: TypedDataDomain, message: AuditQueryMessage): Promise<string> {
  return signer.signTypedData(domain, AUDIT_QUERY_TYPES, message);
}

export function recoverAuditQuerySigner(domain: TypedDataDomain, message: AuditQueryMessage, signature: string): string {
  return verifyTypedData(domain, AUDIT_QUERY_TYPES, message, signature);
}

export function signSessionRequest(signer: Signer, domain: TypedDataDomain, message: SessionRequestMessage): Promise<string> {
  return signer.signTypedData(domain, SESSION_REQUEST_TYPES, message);
}

/** The signer's address; throws if the signature is malformed. */
export function recoverSessionRequestSigner(domain: TypedDataDomain, message: SessionRequestMessage, signature: string): string {
  return verifyTypedData(domain, SESSION_REQUEST_TYPES, message, signature);
}
