// EIP-712 digests and signer recovery for one deployment, with the type encoders and the domain
// separator built once: the same values as orderDigest / recoverOrderSigner, without redoing
// the per-call setup, and with the digest computed once for both the hash and the recovery.
import { bytesToHex } from "@noble/hashes/utils.js";
import { getBytes, type TypedDataDomain } from "ethers";
import { recoverSigner } from "../../crypto/signatures/recoverSigner.ts";
import { ORDER_TYPES, type OrderKind, type OrderOf } from "../../wire/eip712/index.ts";
import { typedDataDigester } from "../../wire/eip712/structHasher.ts";

export class OrderDigester {
  readonly domain: TypedDataDomain;
  readonly #digesters: Record<OrderKind, (order: Record<string, unknown>) => Uint8Array>;

  constructor(domain: TypedDataDomain) {
    this.domain = domain;
    this.#digesters = {
      app: typedDataDigester(domain, ORDER_TYPES.app),
      dataset: typedDataDigester(domain, ORDER_TYPES.dataset),
      workerpool: typedDataDigester(domain, ORDER_TYPES.workerpool),
      request: typedDataDigester(domain, ORDER_TYPES.request),
    };
  }

  /** The order's EIP-712 digest, lowercase 0x hex (equals `orderDigest(kind, domain, order)`). */
  digest<K extends OrderKind>(kind: K, order: OrderOf<K>): string {
    return `0x${bytesToHex(this.#digesters[kind](order as Record<string, unknown>))}`;
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
