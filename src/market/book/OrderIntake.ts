// The validation path every order takes before it enters the book: schema, EIP-712 signature for
// this deployment, ownership, expiry, cancellation and remaining volume, escrow or stake cover,
// then storage. Work is batched: signatures are recovered for a whole chunk (on a worker thread
// when a recovery pool is given) while the previous chunk's chain reads and inserts are in
// flight, and each chain value is read once per chunk.
import { getBytes, type TypedDataDomain } from "ethers";
import type { Secp256k1Pool } from "../../crypto/threads/secp256k1Pool.ts";
import { silentLogger, type Logger } from "../../core/logger.ts";
import { ZERO_ADDRESS, type AnySignedOrder, type OrderKind, type OrderOf, type RequestOrder, type WorkerpoolOrder } from "../../wire/eip712/index.ts";
import { ChainReadError } from "../../chain/ChainReadError.ts";
import { MarketError } from "../MarketError.ts";
import type { AssetKind, OrderChainState } from "./chainState.ts";
import { CANCELLED } from "../../wire/eip712/types.ts";
import { intakeErrors } from "./intakeErrors.ts";
import type { OrderBook } from "./OrderBook.ts";
import { OrderDigester } from "./orderDigester.ts";
import { parsePublishBody } from "./orderSchemas.ts";
import { requestCostPerTask, stakePerTask } from "./orderTerms.ts";

/** An order as a client posted it: the kind, and the JSON body `{ order, signature, signer? }`. */
export type OrderSubmission = { kind: OrderKind; body: unknown };

/** A refusal is a MarketError; an order whose chain state could not be read fails with a ChainReadError. */
export type IngestOutcome = { ok: true; order: AnySignedOrder } | { ok: false; error: MarketError | ChainReadError };

export type OrderIntakeOptions = {
  book: OrderBook;
  chain: OrderChainState;
  /** The deployment's EIP-712 domain: continuumDomain(chainId, continuum address). */
  domain: TypedDataDomain;
  logger?: Logger;
  /** Clock in milliseconds for `publishedAt`. */
  now?: () => number;
  /** Orders validated and stored together (default 256). */
  chunkSize?: number;
  /** Threads that recover signers; without it they are recovered on the calling thread. */
  recovery?: Secp256k1Pool;
  /** Told every batch's outcomes once they are known (the market's metrics count them). */
  onIngested?: (outcomes: readonly IngestOutcome[]) => void;
};

/** A submission whose schema passed, with its digest. */
type Parsed = { kind: OrderKind; body: ReturnType<typeof parsePublishBody>; hash: string };

/** A submission whose schema and signature passed; `recovered` is null for an order approved on-chain. */
type Candidate = { kind: OrderKind; order: OrderOf<OrderKind>; hash: string; signature: string; recovered: string | null };

/** Chain values shared by the orders of one chunk. */
type ChunkReads = { now: () => Promise<bigint>; balance: (account: string) => Promise<bigint>; stakeRatio: () => Promise<bigint> };

const DEFAULT_CHUNK_SIZE = 256;

function assetOf(kind: Exclude<OrderKind, "request">, order: OrderOf<OrderKind>): bigint {
  return (order as unknown as Record<string, bigint>)[kind];
}

/** Reads settled results in a fixed order, so the first problem reported does not depend on timing. */
function valueOrThrow(result: PromiseSettledResult<unknown>): unknown {
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

export class OrderIntake {
  readonly #book: OrderBook;
  readonly #chain: OrderChainState;
  readonly #digester: OrderDigester;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #chunkSize: number;
  readonly #recovery: Secp256k1Pool | undefined;
  readonly #onIngested: ((outcomes: readonly IngestOutcome[]) => void) | undefined;

  constructor(options: OrderIntakeOptions) {
    this.#book = options.book;
    this.#chain = options.chain;
    this.#digester = new OrderDigester(options.domain);
    this.#logger = (options.logger ?? silentLogger()).child({ component: "order-intake" });
    this.#now = options.now ?? Date.now;
    this.#chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.#recovery = options.recovery;
    this.#onIngested = options.onIngested;
  }

  /** Validates and stores one order; throws the MarketError that refused it (or the ChainReadError). */
  async publish(kind: OrderKind, body: unknown): Promise<AnySignedOrder> {
    const [outcome] = await this.ingest([{ kind, body }]);
    if (!outcome.ok) throw outcome.error;
    return outcome.order;
  }

  /** Validates and stores many orders; one outcome per submission, in the same order. */
  async ingest(submissions: readonly OrderSubmission[]): Promise<IngestOutcome[]> {
    const outcomes: IngestOutcome[] = new Array(submissions.length);
    let inFlight: Promise<void> | undefined;
    for (let start = 0; start < submissions.length; start += this.#chunkSize) {
      // This chunk's CPU work runs (on the recovery pool's thread, or here before the await)
      // while the previous one waits on the chain and the database.
      const chunk = this.#prepare(submissions.slice(start, start + this.#chunkSize));
      chunk.catch(() => undefined); // its failure surfaces through inFlight, not as an unhandled rejection
      if (inFlight) await inFlight;
      const chunkStart = start;
      inFlight = chunk.then((prepared) => this.#admit(prepared, chunkStart, outcomes));
    }
    if (inFlight) await inFlight;
    const accepted = outcomes.filter((outcome) => outcome.ok).length;
    this.#logger.debug({ accepted, refused: outcomes.length - accepted }, "orders ingested");
    this.#onIngested?.(outcomes);
    return outcomes;
  }

  /** Schema, digest and signature recovery: pure CPU, no I/O. */
  async #prepare(submissions: readonly OrderSubmission[]): Promise<(Candidate | MarketError)[]> {
    const parsed = submissions.map((submission) => this.#parse(submission));
    const signed = parsed.filter((item): item is Parsed => !(item instanceof MarketError) && item.body.signature !== "0x");
    const signers = this.#recovery
      ? await this.#recovery.recoverMany(signed.map((item) => ({ digest: getBytes(item.hash), signature: item.body.signature })))
      : signed.map((item) => this.#digester.signerOf(item.hash, item.body.signature));
    const signerOf = new Map(signed.map((item, index) => [item, signers[index]]));
    return parsed.map((item) => {
      if (item instanceof MarketError) return item;
      const { kind, body, hash } = item;
      let recovered: string | null = null;
      if (body.signature !== "0x") {
        const signer = signerOf.get(item);
        if (signer === undefined) return intakeErrors.malformedSignature(this.#digester.domain);
        recovered = signer;
      }
      if (body.signer !== undefined && recovered !== null && recovered !== body.signer) {
        return intakeErrors.signerMismatch(kind, recovered, body.signer, this.#digester.domain, "the claimed signer");
      }
      return { kind, order: body.order, hash, signature: body.signature, recovered };
    });
  }

  #parse(submission: OrderSubmission): Parsed | MarketError {
    try {
      const body = parsePublishBody(submission.kind, submission.body);
      return { kind: submission.kind, body, hash: this.#digester.digest(submission.kind, body.order) };
    } catch (error) {
      if (error instanceof MarketError) return error;
      throw error;
    }
  }

  async #admit(chunk: (Candidate | MarketError)[], offset: number, outcomes: IngestOutcome[]): Promise<void> {
    const seen = new Set<string>();
    const existing = await this.#book.existingHashes(
      chunk.filter((item): item is Candidate => !(item instanceof MarketError)).map((candidate) => candidate.hash),
    );
    const balances = new Map<string, Promise<bigint>>();
    const reads: ChunkReads = {
      now: once(() => this.#chain.latestTimestamp()),
      stakeRatio: once(() => this.#chain.stakeRatioBps()),
      balance: (account) => {
        let balance = balances.get(account);
        if (!balance) balances.set(account, (balance = this.#chain.escrowBalanceOf(account)));
        return balance;
      },
    };
    const checks = chunk.map(async (item): Promise<IngestOutcome> => {
      if (item instanceof MarketError) return { ok: false, error: item };
      if (existing.has(item.hash) || seen.has(item.hash)) return { ok: false, error: intakeErrors.exists(item.hash) };
      seen.add(item.hash);
      try {
        return { ok: true, order: await this.#checkOnChain(item, reads) };
      } catch (error) {
        if (error instanceof MarketError || error instanceof ChainReadError) return { ok: false, error };
        throw error;
      }
    });
    const checked = await Promise.all(checks);
    const valid = checked.flatMap((outcome) => (outcome.ok ? [outcome.order] : []));
    const { duplicates } = await this.#book.add(valid);
    const raced = new Set(duplicates);
    checked.forEach((outcome, index) => {
      outcomes[offset + index] = outcome.ok && raced.has(outcome.order.hash) ? { ok: false, error: intakeErrors.exists(outcome.order.hash) } : outcome;
    });
  }

  /** Issues every chain read of the order at once, then judges them in a fixed order so the reason given is stable. */
  async #checkOnChain(candidate: Candidate, reads: ChunkReads): Promise<AnySignedOrder> {
    const { kind, order, hash } = candidate;
    const signer = kind === "request" ? this.#requesterOf(candidate) : this.#assetOwnerOf(candidate);
    const category = kind === "workerpool" || kind === "request" ? (order as { category: bigint }).category : undefined;
    const results = await Promise.allSettled([
      reads.now(),
      kind === "request" ? this.#requireRequestAssets(order as RequestOrder) : Promise.resolve(),
      signer,
      category === undefined ? Promise.resolve(true) : this.#chain.categoryExists(category),
      this.#chain.consumed(hash),
    ]);
    const now = valueOrThrow(results[0]) as bigint;
    if (order.expiry <= now) throw intakeErrors.expired(order.expiry, now);
    valueOrThrow(results[1]);
    const signerAddress = valueOrThrow(results[2]) as string;
    if (!(valueOrThrow(results[3]) as boolean)) throw intakeErrors.unknownCategory(category!);
    const consumed = valueOrThrow(results[4]) as bigint;
    if (consumed === CANCELLED) throw intakeErrors.cancelled(hash);
    if (consumed >= order.volume) throw intakeErrors.consumed(hash, order.volume);
    const remaining = order.volume - consumed;
    if (kind === "request") await this.#requireEscrow(order as RequestOrder, remaining, reads);
    if (kind === "workerpool") await this.#requireStake(signerAddress, (order as WorkerpoolOrder).price, remaining, reads);
    return { kind, order, hash, signature: candidate.signature, signer: signerAddress, remaining, publishedAt: this.#now() } as AnySignedOrder;
  }

  /**
   * The asset's owner, who must be the signer (or must have approved the order on-chain), for an
   * order signed in the asset's current epoch.
   */
  async #assetOwnerOf(candidate: Candidate): Promise<string> {
    const kind = candidate.kind as AssetKind;
    const id = assetOf(kind, candidate.order);
    const asset = await this.#chain.assetOf(kind, id);
    if (asset === null) throw intakeErrors.unknownAsset(kind, id);
    const { owner, epoch } = asset;
    const signedEpoch = (candidate.order as { assetEpoch: bigint }).assetEpoch;
    if (signedEpoch !== epoch) throw intakeErrors.stale(candidate.hash, kind, id, signedEpoch, epoch);
    if (candidate.recovered !== null) {
      if (candidate.recovered !== owner) throw intakeErrors.notAssetOwner(kind, id, candidate.recovered, owner);
    } else if ((await this.#chain.approvedBy(candidate.hash)) !== owner) {
      throw intakeErrors.notApproved(candidate.hash, owner);
    }
    return owner;
  }

  async #requesterOf(candidate: Candidate): Promise<string> {
    const requester = (candidate.order as RequestOrder).requester;
    if (candidate.recovered !== null) {
      if (candidate.recovered !== requester) {
        throw intakeErrors.signerMismatch("request", candidate.recovered, requester, this.#digester.domain, "the requester");
      }
    } else if ((await this.#chain.approvedBy(candidate.hash)) !== requester) {
      throw intakeErrors.notApproved(candidate.hash, requester);
    }
    return requester;
  }

  /** A request naming an app, dataset or workerpool that does not exist could never match. */
  async #requireRequestAssets(request: RequestOrder): Promise<void> {
    const named: [AssetKind, bigint][] = [["app", request.app]];
    if (request.dataset !== 0n) named.push(["dataset", request.dataset]);
    if (request.workerpool !== 0n) named.push(["workerpool", request.workerpool]);
    const assets = await Promise.all(named.map(([kind, id]) => this.#chain.assetOf(kind, id)));
    assets.forEach((asset, index) => {
      if (asset === null || asset.owner === ZERO_ADDRESS) throw intakeErrors.unknownAsset(named[index][0], named[index][1]);
    });
  }

  async #requireEscrow(request: RequestOrder, remaining: bigint, reads: ChunkReads): Promise<void> {
    const needed = requestCostPerTask(request) * remaining;
    if (needed === 0n) return;
    const balance = await reads.balance(request.requester);
    if (balance < needed) throw intakeErrors.insufficientEscrow(request.requester, balance, needed);
  }

  async #requireStake(owner: string, price: bigint, remaining: bigint, reads: ChunkReads): Promise<void> {
    const needed = stakePerTask(price, await reads.stakeRatio()) * remaining;
    if (needed === 0n) return;
    const balance = await reads.balance(owner);
    if (balance < needed) throw intakeErrors.insufficientStake(owner, balance, needed);
  }
}
