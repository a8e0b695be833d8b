// Recovers who signed a scheduler's Authorization(worker, taskId, enclave), as the contract does:
// the EIP-712 digest under the protocol's domain, 65-byte signature, v 27 or 28, low s only.
import type { TypedDataDomain } from "ethers";
import { recoverSigner } from "../../src/crypto/signatures/recoverSigner.ts";
import type { Secp256k1Pool } from "../../src/crypto/threads/secp256k1Pool.ts";
import { typedDataDigester } from "../../src/wire/eip712/structHasher.ts";
import { AUTHORIZATION_TYPES, type Authorization } from "../../src/wire/eip712/types.ts";

export class AuthorizationCheck {
  readonly #digest: (message: Record<string, unknown>) => Uint8Array;
  readonly #pool: Secp256k1Pool | undefined;

  /** With a pool, signers are recovered on its threads. */
  constructor(domain: TypedDataDomain, pool?: Secp256k1Pool) {
    this.#digest = typedDataDigester(domain, AUTHORIZATION_TYPES);
    this.#pool = pool;
  }

  /** The EIP-712 digest of an authorization; equals TypedDataEncoder.hash(domain, AUTHORIZATION_TYPES, message). */
  digest(message: Authorization): Uint8Array {
    return this.#digest(message);
  }

  /** The checksummed signer, or undefined for a signature the contract's ECDSA.tryRecover refuses. */
  async signer(message: Authorization, signature: string): Promise<string | undefined> {
    const digest = this.digest(message);
    if (!this.#pool) return recoverSigner(digest, signature);
    const [signer] = await this.#pool.recoverMany([{ digest, signature }]);
    return signer;
  }
}
