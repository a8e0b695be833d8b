// The SMS's signed verdicts, the evidence the protocol accepts from it: EnclaveAttested (this
// enclave key passed attestation for this task; a TEE result needs it) and TaskFailure (this task
// cannot run, and this party is to blame; failTask settles on it). Both use the protocol's EIP-712
// domain, so a verdict is good on one chain and one Continuum contract only. One EnclaveAttested is
// signed per released session, so hashing (structHasher) and signing (libsecp256k1) take the fast
// paths; the signatures are byte for byte those ethers makes (test/unit/sms/verdictSigner.test.ts).
import { computeAddress, getBytes, hexlify, type TypedDataDomain } from "ethers";
import { libsecp256k1 } from "../../src/crypto/secp256k1/libsecp256k1.ts";
import { typedDataDigester } from "../../src/wire/eip712/structHasher.ts";
import { ENCLAVE_ATTESTED_TYPES, TASK_FAILURE_TYPES, type FailureCause } from "../../src/wire/eip712/types.ts";

export class VerdictSigner {
  readonly #key: Uint8Array;
  readonly #attestedDigest: (value: Record<string, unknown>) => Uint8Array;
  readonly #failureDigest: (value: Record<string, unknown>) => Uint8Array;
  /** The address governance registers on-chain (setSmsSigner). */
  readonly address: string;

  constructor(privateKey: Uint8Array | string, domain: TypedDataDomain) {
    this.#key = getBytes(typeof privateKey === "string" ? privateKey : hexlify(privateKey)).slice();
    if (this.#key.length !== 32 || !libsecp256k1.isPrivate(this.#key)) throw new RangeError("not a secp256k1 private key");
    this.#attestedDigest = typedDataDigester(domain, ENCLAVE_ATTESTED_TYPES);
    this.#failureDigest = typedDataDigester(domain, TASK_FAILURE_TYPES);
    this.address = computeAddress(hexlify(libsecp256k1.pointFromScalar(this.#key, true)));
  }

  /** The signature of EnclaveAttested(taskId, enclave): `smsAttestation` of the enclave's result. */
  enclaveAttested(taskId: string, enclave: string): string {
    return this.#sign(this.#attestedDigest({ taskId, enclave }));
  }

  /** The signature of TaskFailure(taskId, cause, attempt): the evidence failTask takes. */
  taskFailure(taskId: string, cause: FailureCause, attempt: number): string {
    return this.#sign(this.#failureDigest({ taskId, cause, attempt }));
  }

  #sign(digest: Uint8Array): string {
    const { signature, recoveryId } = libsecp256k1.sign(digest, this.#key);
    return `${hexlify(signature)}${(27 + recoveryId).toString(16)}`;
  }

  /** Keeps the key out of logs and JSON. */
  toJSON(): string {
    return `VerdictSigner(${this.address})`;
  }
}
