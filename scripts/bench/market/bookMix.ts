// A large, realistic open book for the matching benchmark: app, dataset, workerpool and request
// orders over many assets (a few popular, most not), categories, tag sets, prices and
// restrictions, and the varied requests looked up in it. The book trusts the market's checks,
// so these orders are not signed; their hashes are unique.
import { TAG_TEE, ZERO_ADDRESS, type AnySignedOrder, type OrderKind, type OrderOf, type SignedOrder } from "../../../src/wire/eip712/index.ts";
import type { SeededRandom } from "./seededRandom.ts";

/** The chain time (seconds) the book is judged at. */
export const BOOK_NOW = 1_900_000_000n;

export type BookShape = { apps: number; datasets: number; workerpools: number; categories: number; requesters: number };

export const DEFAULT_BOOK_SHAPE: BookShape = { apps: 300, datasets: 500, workerpools: 60, categories: 6, requesters: 1_000 };

const TAG_GPU = 1n << 1n;
const tagOf = (bits: bigint) => `0x${bits.toString(16).padStart(64, "0")}`;
/** What offers and requests ask or provide: nothing, an enclave, a GPU, or both. */
const OFFER_TAGS = [0n, 0n, TAG_TEE, TAG_TEE, TAG_GPU, TAG_TEE | TAG_GPU].map(tagOf);
const POOL_TAGS = [0n, TAG_TEE, TAG_TEE, TAG_GPU, TAG_TEE | TAG_GPU, TAG_TEE | TAG_GPU].map(tagOf);

export class BookMix {
  readonly #random: SeededRandom;
  readonly #shape: BookShape;
  readonly #requesters: string[];
  /** Reputation of each workerpool in basis points, for requests asking for trust. */
  readonly #reputation: bigint[];
  #counter = 0;

  constructor(random: SeededRandom, shape: BookShape = DEFAULT_BOOK_SHAPE) {
    this.#random = random;
    this.#shape = shape;
    this.#requesters = Array.from({ length: shape.requesters }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
    this.#reputation = Array.from({ length: shape.workerpools }, () => random.bigint(0, 10_000));
  }

  /** Reputation lookup for MatchContext.trustOf. */
  readonly trustOf = (workerpool: bigint): bigint => this.#reputation[Number(workerpool) - 1] ?? 0n;

  /** One open order: 30% app, 30% dataset, 30% workerpool, 10% request. */
  order(): AnySignedOrder {
    const draw = this.#random.next();
    if (draw < 0.3) return this.#app();
    if (draw < 0.6) return this.#dataset();
    if (draw < 0.9) return this.#workerpool();
    return this.request();
  }

  /** A request as a requester would post it: its own app, dataset, category, tag, prices and trust. */
  request(): SignedOrder<"request"> {
    const r = this.#random;
    const requester = r.pick(this.#requesters);
    return this.#signed("request", {
      app: this.#popular(this.#shape.apps), appMaxPrice: r.bigint(20, 100),
      dataset: r.chance(0.25) ? 0n : this.#popular(this.#shape.datasets), datasetMaxPrice: r.bigint(20, 100),
      workerpool: this.#maybe(0.1, this.#shape.workerpools), workerpoolMaxPrice: r.bigint(50, 300),
      requester, volume: r.bigint(1, 20), tag: r.pick([0n, TAG_TEE, TAG_TEE, TAG_TEE | TAG_GPU].map(tagOf)),
      category: r.bigint(1, this.#shape.categories), trust: r.chance(0.2) ? r.bigint(2_000, 9_000) : 0n,
      beneficiary: requester, resultPublicKey: r.bytes32(), params: "", salt: r.bytes32(), expiry: this.#expiry(),
    });
  }

  #app(): SignedOrder<"app"> {
    const r = this.#random;
    return this.#signed("app", {
      app: this.#popular(this.#shape.apps), price: r.bigint(1, 100), volume: r.bigint(1, 1_000), tag: r.pick(OFFER_TAGS),
      datasetRestrict: this.#maybe(0.1, this.#shape.datasets), workerpoolRestrict: this.#maybe(0.1, this.#shape.workerpools),
      requesterRestrict: this.#requesterRestrict(0.1), assetEpoch: 0n, salt: r.bytes32(), expiry: this.#expiry(),
    });
  }

  #dataset(): SignedOrder<"dataset"> {
    const r = this.#random;
    return this.#signed("dataset", {
      dataset: this.#popular(this.#shape.datasets), price: r.bigint(1, 100), volume: r.bigint(1, 1_000), tag: r.pick(OFFER_TAGS),
      appRestrict: this.#maybe(0.4, this.#shape.apps), workerpoolRestrict: this.#maybe(0.1, this.#shape.workerpools),
      requesterRestrict: this.#requesterRestrict(0.15), assetEpoch: 0n, salt: r.bytes32(), expiry: this.#expiry(),
    });
  }

  #workerpool(): SignedOrder<"workerpool"> {
    const r = this.#random;
    return this.#signed("workerpool", {
      workerpool: r.bigint(1, this.#shape.workerpools), price: r.bigint(1, 300), volume: r.bigint(1, 1_000), tag: r.pick(POOL_TAGS),
      category: r.bigint(1, this.#shape.categories), appRestrict: this.#maybe(0.05, this.#shape.apps),
      datasetRestrict: this.#maybe(0.05, this.#shape.datasets), requesterRestrict: this.#requesterRestrict(0.05),
      assetEpoch: 0n, salt: r.bytes32(), expiry: this.#expiry(),
    });
  }

  /** An id in 1..count where low ids are far more frequent (a few popular assets, a long tail). */
  #popular(count: number): bigint {
    const r = this.#random.next();
    return BigInt(1 + Math.floor(count * r * r * r));
  }

  #maybe(probability: number, count: number): bigint {
    return this.#random.chance(probability) ? this.#popular(count) : 0n;
  }

  #requesterRestrict(probability: number): string {
    return this.#random.chance(probability) ? this.#random.pick(this.#requesters) : ZERO_ADDRESS;
  }

  /** Mostly live for hours to weeks; a few already expired and not yet pruned. */
  #expiry(): bigint {
    return this.#random.chance(0.02) ? BOOK_NOW - this.#random.bigint(1, 3_600) : BOOK_NOW + this.#random.bigint(60, 30 * 86_400);
  }

  #signed<K extends OrderKind>(kind: K, order: OrderOf<K>): SignedOrder<K> {
    this.#counter += 1;
    const volume = (order as { volume: bigint }).volume;
    return {
      kind, order, hash: `0x${this.#counter.toString(16).padStart(64, "0")}`, signature: "0x", signer: ZERO_ADDRESS,
      remaining: this.#random.bigint(1, Number(volume)), publishedAt: this.#counter,
    };
  }
}
