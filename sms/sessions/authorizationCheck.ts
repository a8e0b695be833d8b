// Recovers who signed a scheduler's Authorization(worker, taskId, enclave), as the contract does:
// the EIP-712 digest under the protocol's domain, 65-byte signature, v 27 or 28, low s only.
// The digest is built from bytes with the type hash and domain separator computed once.
import { keccak_256 } from "@noble/hashes/sha3.js";
import { concatBytes, hexToBytes } from "@noble/hashes/utils.js";
import { TypedDataEncoder, getAddress, type TypedDataDomain } from "ethers";
import { recoverSigner } from "../../src/crypto/signatures/recoverSigner.ts";
import { AUTHORIZATION_TYPES, type Authorization } from "../../src/orders/types.ts";

export class AuthorizationCheck {
  readonly #prefix: Uint8Array;
  readonly #typeHash: Uint8Array;

  constructor(domain: TypedDataDomain) {
    const domainSeparator = hexToBytes(TypedDataEncoder.hashDomain(domain).slice(2));
    this.#prefix = concatBytes(Uint8Array.of(0x19, 0x01), domainSeparator);
    const encodedType = TypedDataEncoder.from(AUTHORIZATION_TYPES).encodeType("Authorization");
    this.#typeHash = keccak_256(new TextEncoder().encode(encodedType));
  }

  /** The EIP-712 digest of an authorization; equals TypedDataEncoder.hash(domain, AUTHORIZATION_TYPES, message). */
  digest(message: Authorization): Uint8Array {
    const structHash = keccak_256(
      concatBytes(this.#typeHash, word(message.worker), hexToBytes(message.taskId.slice(2)), word(message.enclave)),
    );
    return keccak_256(concatBytes(this.#prefix, structHash));
  }

  /** The checksummed signer, or undefined for a signature the contract's ECDSA.tryRecover refuses. */
  signer(message: Authorization, signature: string): string | undefined {
    return recoverSigner(this.digest(message), signature);
  }
}

/** An address as a 32-byte ABI word. */
function word(address: string): Uint8Array {
  const padded = new Uint8Array(32);
  padded.set(hexToBytes(getAddress(address).slice(2)), 12);
  return padded;
}
