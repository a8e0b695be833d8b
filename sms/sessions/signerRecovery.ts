// Recovers who signed one kind of EIP-712 message, as the contract does: the digest under the
// protocol's domain, a 65-byte signature, v 27 or 28, low s only. The SMS recovers two kinds per
// session: the workerpool owner's Authorization and the worker's SessionRequest.
import type { TypedDataDomain, TypedDataField } from "ethers";
import { recoverSigner } from "../../src/crypto/signatures/recoverSigner.ts";
import type { Secp256k1Pool } from "../../src/crypto/threads/secp256k1Pool.ts";
import { typedDataDigester } from "../../src/wire/eip712/structHasher.ts";
import { AUTHORIZATION_TYPES, type Authorization } from "../../src/wire/eip712/types.ts";
import { SESSION_REQUEST_TYPES, type SessionRequestMessage } from "../../src/wire/eip712/smsMessages.ts";

export class SignerRecovery<Message extends object> {
  readonly #digest: (message: Record<string, unknown>) => Uint8Array;
  readonly #pool: Secp256k1Pool | undefined;

  /** With a pool, signers are recovered on its threads (recoveries asked in one turn travel together). */
  constructor(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, pool?: Secp256k1Pool) {
    this.#digest = typedDataDigester(domain, types);
    this.#pool = pool;
  }

  /** The EIP-712 digest of a message; equals TypedDataEncoder.hash(domain, types, message). */
  digest(message: Message): Uint8Array {
    return this.#digest(message as Record<string, unknown>);
  }

  /** The checksummed signer, or undefined for a signature the contract's ECDSA.tryRecover refuses. */
  async signer(message: Message, signature: string): Promise<string | undefined> {
    const digest = this.digest(message);
    if (!this.#pool) return recoverSigner(digest, signature);
    const [signer] = await this.#pool.recoverMany([{ digest, signature }]);
    return signer;
  }
}

/** Who signed a scheduler's Authorization(worker, taskId, enclave). */
export type AuthorizationCheck = SignerRecovery<Authorization>;
/** Who signed a worker's SessionRequest(worker, taskId, attempt, enclave, quoteHash). */
export type SessionRequestCheck = SignerRecovery<SessionRequestMessage>;

export function authorizationCheck(domain: TypedDataDomain, pool?: Secp256k1Pool): AuthorizationCheck {
  return new SignerRecovery<Authorization>(domain, AUTHORIZATION_TYPES, pool);
}

export function sessionRequestCheck(domain: TypedDataDomain, pool?: Secp256k1Pool): SessionRequestCheck {
  return new SignerRecovery<SessionRequestMessage>(domain, SESSION_REQUEST_TYPES, pool);
}
