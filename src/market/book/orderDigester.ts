// EIP-712 digests and signer recovery for one deployment, with the type encoders and the domain
// separator built once: the same values as orderDigest / recoverOrderSigner, without redoing
// the per-call setup, and with the digest computed once for both the hash and the recovery.
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, hexToBytes } from "@noble/hashes/utils.js";
import { getBytes, TypedDataEncoder, type TypedDataDomain } from "ethers";
import { recoverSigner } from "../../crypto/signatures/recoverSigner.ts";
import { ORDER_TYPES, type OrderKind, type OrderOf } from "../../orders/index.ts";
import { structHasher } from "../../orders/structHasher.ts";

export class OrderDigester {
  readonly domain: TypedDataDomain;
  readonly #prefix: Uint8Array;
  readonly #hashers: Record<OrderKind, (order: Record<string, unknown>) => Uint8Array>;

  constructor(domain: TypedDataDomain) {
    this.domain = domain;
    this.#prefix = concatBytes(Uint8Array.of(0x19, 0x01), hexToBytes(TypedDataEncoder.hashDomain(domain).slice(2)));
    this.#hashers = {
      app: structHasher(ORDER_TYPES.app),
      dataset: structHasher(ORDER_TYPES.dataset),
      workerpool: structHasher(ORDER_TYPES.workerpool),
      request: structHasher(ORDER_TYPES.request),
    };
  }

  /** The order's EIP-712 digest, lowercase 0x hex (equals `orderDigest(kind, domain, order)`). */
  digest<K extends OrderKind>(kind: K, order: OrderOf<K>): string {
    return `0x${bytesToHex(keccak_256(concatBytes(this.#prefix, this.#hashers[kind](order as Record<string, unknown>))))}`;
  }

  /**
   * The checksummed address that signed `digest`, recovered by libsecp256k1 under the contract's
   * rules (65 bytes, v 27 or 28, low s); throws on any signature the contract would refuse.
   */
  recover(digest: string, signature: string): string {
    const signer = this.signerOf(digest, signature);
    if (signer === undefined) throw new RangeError("the signature is malformed or not one the contract accepts");
    return signer;
  }

  /** As `recover`, but undefined where it would throw. */
  signerOf(digest: string, signature: string): string | undefined {
    return recoverSigner(getBytes(digest), signature);
  }
}
