// Signs and verifies Continuum's EIP-712 messages (orders, task authorizations, results, the
// SMS's verdicts on enclaves and failed tasks) and derives deal and task ids as the contracts do.
import { AbiCoder, keccak256, TypedDataEncoder, verifyTypedData, type Signer, type TypedDataDomain } from "ethers";
import { abiWord } from "./abiWord.ts";
import {
  AUTHORIZATION_TYPES,
  DEAL_FIELDS,
  ENCLAVE_ATTESTED_TYPES,
  ORDER_TYPES,
  RESULT_TYPES,
  TASK_FAILURE_TYPES,
  type Authorization,
  type Deal,
  type EnclaveAttested,
  type TaskFailure,
  type OrderKind,
  type OrderOf,
  type ResultStatement,
} from "./types.ts";

export function orderDigest<K extends OrderKind>(kind: K, domain: TypedDataDomain, order: OrderOf<K>): string {
  return TypedDataEncoder.hash(domain, ORDER_TYPES[kind], order);
}

export function signOrder<K extends OrderKind>(
  kind: K,
  signer: Signer,
  domain: TypedDataDomain,
  order: OrderOf<K>,
): Promise<string> {
  return signer.signTypedData(domain, ORDER_TYPES[kind], order);
}

/** The address that signed `order`, or throws if the signature is malformed. */
export function recoverOrderSigner<K extends OrderKind>(
  kind: K,
  domain: TypedDataDomain,
  order: OrderOf<K>,
  signature: string,
): string {
  return verifyTypedData(domain, ORDER_TYPES[kind], order, signature);
}

export function signAuthorization(signer: Signer, domain: TypedDataDomain, message: Authorization): Promise<string> {
  return signer.signTypedData(domain, AUTHORIZATION_TYPES, message);
}

export function recoverAuthorizationSigner(domain: TypedDataDomain, message: Authorization, signature: string): string {
  return verifyTypedData(domain, AUTHORIZATION_TYPES, message, signature);
}

export function signResult(signer: Signer, domain: TypedDataDomain, message: ResultStatement): Promise<string> {
  return signer.signTypedData(domain, RESULT_TYPES, message);
}

/** The address (the enclave key) that signed the result statement; throws if the signature is malformed. */
export function recoverResultSigner(domain: TypedDataDomain, message: ResultStatement, signature: string): string {
  return verifyTypedData(domain, RESULT_TYPES, message, signature);
}

/** The SMS's statement that `enclave` passed attestation for `taskId`: `smsAttestation` of a TEE result. */
export function signEnclaveAttested(signer: Signer, domain: TypedDataDomain, message: EnclaveAttested): Promise<string> {
  return signer.signTypedData(domain, ENCLAVE_ATTESTED_TYPES, message);
}

/** The address that signed the attestation; throws if the signature is malformed. */
export function recoverEnclaveAttestedSigner(domain: TypedDataDomain, message: EnclaveAttested, signature: string): string {
  return verifyTypedData(domain, ENCLAVE_ATTESTED_TYPES, message, signature);
}

/** The SMS's verdict that `taskId` cannot run through `cause`'s fault: the evidence `failTask` takes. */
export function signTaskFailure(signer: Signer, domain: TypedDataDomain, message: TaskFailure): Promise<string> {
  return signer.signTypedData(domain, TASK_FAILURE_TYPES, message);
}

/** The address that signed the verdict; throws if the signature is malformed. */
export function recoverTaskFailureSigner(domain: TypedDataDomain, message: TaskFailure, signature: string): string {
  return verifyTypedData(domain, TASK_FAILURE_TYPES, message, signature);
}

const coder = AbiCoder.defaultAbiCoder();

export function dealIdOf(requestHash: string, requestOffset: bigint): string {
  return hashOfWordAndIndex(requestHash, requestOffset);
}

export function taskIdOf(dealId: string, index: bigint): string {
  return hashOfWordAndIndex(dealId, index);
}

/**
 * keccak256(abi.encode(bytes32 word, uint256 index)), the two 32-byte words joined directly:
 * the same bytes the ABI coder would produce, without its per-call setup (the SMS derives a
 * task id per session).
 */
function hashOfWordAndIndex(word: string, index: bigint): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(word)) throw new TypeError(`${word} is not a 32-byte hex word`);
  return keccak256(`${word}${abiWord(index)}`);
}

const DEAL_TUPLE =
  "tuple(uint256 app,uint256 dataset,uint256 workerpool,address appOwner,address datasetOwner,address workerpoolOwner," +
  "uint256 appPrice,uint256 datasetPrice,uint256 workerpoolPrice,address requester,address beneficiary,uint256 category," +
  "bytes32 tag,uint256 volume,uint256 stakePerTask,uint256 startTime,uint256 deadline,bytes32 resultPublicKey," +
  "bytes32 paramsHash,bytes32 requestHash,uint256 requestOffset)";

/** keccak256(abi.encode(deal)), the value the contract commits to. */
export function dealCommitment(deal: Deal): string {
  return keccak256(coder.encode([DEAL_TUPLE], [deal]));
}

/** Converts an ethers `Result` (or any record) holding a decoded deal into a plain `Deal`. */
export function toDeal(decoded: Record<string, unknown> | readonly unknown[]): Deal {
  const source = decoded as Record<string, unknown>;
  const deal: Record<string, unknown> = {};
  for (const field of DEAL_FIELDS) deal[field] = source[field];
  return deal as Deal;
}
