// Recovers who signed a scheduler's Authorization(worker, taskId, enclave), as the contract does:
// the EIP-712 digest under the protocol's domain, 65-byte signature, v 27 or 28, low s only.
// Recovery uses @noble/curves directly: the same math as ethers' recoverAddress, a third faster.
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, hexToBytes } from "@noble/hashes/utils.js";
import { TypedDataEncoder, getAddress, type TypedDataDomain } from "ethers";
import { AUTHORIZATION_TYPES, type Authorization } from "../../src/orders/types.ts";

const HALF_ORDER = secp256k1.Point.Fn.ORDER >> 1n;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

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
    if (!SIGNATURE.test(signature)) return undefined;
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const v = Number.parseInt(signature.slice(130), 16);
    if (s > HALF_ORDER || (v !== 27 && v !== 28)) return undefined;
    try {
      const recovered = secp256k1.Signature.fromHex(signature.slice(2, 130), "compact")
        .addRecoveryBit(v - 27)
        .recoverPublicKey(this.digest(message));
      return getAddress(bytesToHex0x(keccak_256(recovered.toBytes(false).subarray(1)).subarray(12)));
    } catch {
      return undefined;
    }
  }
}

function bytesToHex0x(bytes: Uint8Array): string {
  return `0x${bytesToHex(bytes)}`;
}

/** An address as a 32-byte ABI word. */
function word(address: string): Uint8Array {
  const padded = new Uint8Array(32);
  padded.set(hexToBytes(getAddress(address).slice(2)), 12);
  return padded;
}
