// EIP-712 digests and signer recovery for one deployment, with the type encoders and the domain
// separator built once: the same values as orderDigest / recoverOrderSigner, without redoing
// the per-call setup, and with the digest computed once for both the hash and the recovery.
import { concat, getBytes, keccak256, TypedDataEncoder, type TypedDataDomain } from "ethers";
import { recoverSigner } from "../../crypto/signatures/recoverSigner.ts";
import { ORDER_TYPES, type OrderKind, type OrderOf } from "../../orders/index.ts";

export class OrderDigester {
  readonly domain: TypedDataDomain;
  readonly #separator: string;
  readonly #encoders: Record<OrderKind, TypedDataEncoder>;

  constructor(domain: TypedDataDomain) {
    this.domain = domain;
    this.#separator = TypedDataEncoder.hashDomain(domain);
    this.#encoders = {
      app: TypedDataEncoder.from(ORDER_TYPES.app),
      dataset: TypedDataEncoder.from(ORDER_TYPES.dataset),
      workerpool: TypedDataEncoder.from(ORDER_TYPES.workerpool),
      request: TypedDataEncoder.from(ORDER_TYPES.request),
    };
  }

  /** The order's EIP-712 digest, lowercase 0x hex (equals `orderDigest(kind, domain, order)`). */
  digest<K extends OrderKind>(kind: K, order: OrderOf<K>): string {
    return keccak256(concat(["0x1901", this.#separator, this.#encoders[kind].hash(order as Record<string, unknown>)]));
  }

  /**
   * The checksummed address that signed `digest`, recovered by libsecp256k1 under the contract's
   * rules (65 bytes, v 27 or 28, low s); throws on any signature the contract would refuse.
   */
  recover(digest: string, signature: string): string {
    const signer = recoverSigner(getBytes(digest), signature);
    if (signer === undefined) throw new RangeError("the signature is malformed or not one the contract accepts");
    return signer;
  }
}
