// The SMS's signed verdicts, the evidence the protocol accepts from it: EnclaveAttested (this
// enclave key passed attestation for this task; a TEE result needs it) and TaskFailure (this task
// cannot run, and this party is to blame; failTask settles on it). Both use the protocol's EIP-712
// domain, so a verdict is good on one chain and one Continuum contract only.
import { SigningKey, TypedDataEncoder, computeAddress, type TypedDataDomain } from "ethers";
import { hexlify } from "ethers";
import { ENCLAVE_ATTESTED_TYPES, TASK_FAILURE_TYPES, type FailureCause } from "../../src/wire/eip712/types.ts";

export class VerdictSigner {
  readonly #key: SigningKey;
  readonly #domain: TypedDataDomain;
  /** The address governance registers on-chain (setSmsSigner). */
  readonly address: string;

  constructor(privateKey: Uint8Array | string, domain: TypedDataDomain) {
    this.#key = new SigningKey(typeof privateKey === "string" ? privateKey : hexlify(privateKey));
    this.#domain = domain;
    this.address = computeAddress(this.#key.publicKey);
  }

  /** The signature of EnclaveAttested(taskId, enclave): `smsAttestation` of the enclave's result. */
  enclaveAttested(taskId: string, enclave: string): string {
    return this.#sign(TypedDataEncoder.hash(this.#domain, ENCLAVE_ATTESTED_TYPES, { taskId, enclave }));
  }

  /** The signature of TaskFailure(taskId, cause, attempt): the evidence failTask takes. */
  taskFailure(taskId: string, cause: FailureCause, attempt: number): string {
    return this.#sign(TypedDataEncoder.hash(this.#domain, TASK_FAILURE_TYPES, { taskId, cause, attempt }));
  }

  #sign(digest: string): string {
    return this.#key.sign(digest).serialized;
  }

  /** Keeps the key out of logs and JSON. */
  toJSON(): string {
    return `VerdictSigner(${this.address})`;
  }
}
