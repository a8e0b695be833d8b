// The matching loop: for each open request, find its cheapest match in the book and send it;
// after a deal, a refusal or a lost race, re-read the orders' consumed volume from the chain
// and fix the book, so the next attempt works from the truth instead of retrying blindly.
import { EventEmitter } from "node:events";
import { ZeroHash } from "ethers";
import { ContinuumError } from "../core/ContinuumError.ts";
import { silentLogger, type Logger } from "../core/logger.ts";
import type { AnySignedOrder, SignedOrder } from "../wire/eip712/index.ts";
import type { MatchHashes, MatchOrdersInput, MatchSender, SendOutcome } from "../chain/matchSender.ts";
import type { MatchingBook } from "./MatchingBook.ts";
import { type MatcherChain } from "./matcherChain.ts";
import { CANCELLED } from "../wire/eip712/types.ts";
import { ReputationCache } from "./ReputationCache.ts";

export type MatcherOptions = {
  book: MatchingBook;
  sender: Pick<MatchSender, "send">;
  chain: MatcherChain;
  logger?: Logger;
  /** Pause between rounds of `start()`; default 1,000 ms. */
  intervalMs?: number;
  /** How long a request (or an offer whose owner lacks escrow) waits after a refusal; default 30 s. */
  retryDelayMs?: number;
  /** Longest pause after consecutive node errors (the pause doubles from intervalMs); default 30 s. */
  maxBackoffMs?: number;
  /** How long a workerpool's reputation score is reused; default 30 s. */
  reputationTtlMs?: number;
  /** Deals made for one request in one round before the next request's turn; default 16. */
  maxDealsPerRequest?: number;
};

export type MatchedEvent = { dealId: string; hashes: MatchHashes; txHash: string };
export type RefusedEvent = { hashes: MatchHashes; code: string; details: Record<string, string> };
export type RoundFailedEvent = { code: string; message: string; consecutiveFailures: number };
export type RoundResult = { matched: number; refused: number };

type MatcherEvents = { matched: [MatchedEvent]; refused: [RefusedEvent]; roundFailed: [RoundFailedEvent] };

export class MatcherError extends ContinuumError {}

export class Matcher extends EventEmitter<MatcherEvents> {
  readonly #book: MatchingBook;
  readonly #sender: Pick<MatchSender, "send">;
  readonly #chain: MatcherChain;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #retryDelayMs: number;
  readonly #maxBackoffMs: number;
  readonly #maxDealsPerRequest: number;
  readonly #reputations: ReputationCache;
  /** Requests waiting after a refusal, until a time in ms. */
  readonly #parkedRequests = new Map<string, number>();
  /** Offers taken out of the book after a refusal, re-added (re-read) at a time in ms. */
  readonly #parkedOffers = new Map<string, { order: AnySignedOrder; until: number }>();
  #round: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  /** Set by stop(): the round in progress sends no further match. */
  #halted = false;
  #consecutiveFailures = 0;

  constructor(options: MatcherOptions) {
    super();
    this.#book = options.book;
    this.#sender = options.sender;
    this.#chain = options.chain;
    this.#logger = options.logger ?? silentLogger();
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#retryDelayMs = options.retryDelayMs ?? 30_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.#maxDealsPerRequest = options.maxDealsPerRequest ?? 16;
    this.#reputations = new ReputationCache(options.chain, options.reputationTtlMs ?? 30_000);
  }

  /**
   * One pass over the open requests, oldest first. Rejects with a MatcherError (code
   * RPC_ERROR) when the node fails; deals made before that were already reported as events.
   */
  runOnce(): Promise<RoundResult> {
    const round = this.#round.then(() => this.#runRound());
    this.#round = round.catch(() => undefined);
    return round;
  }

  /** Runs rounds every intervalMs until stop(), backing off after node errors. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#halted = false;
    this.#schedule(0);
  }

  /** Stops the loop and waits for the round in progress, which ends after the match being sent. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#halted = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#round;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
  }

  async #tick(): Promise<void> {
    try {
      const result = await this.runOnce();
      this.#consecutiveFailures = 0;
      if (result.matched || result.refused) this.#logger.info(result, "matching round");
    } catch (error) {
      this.#consecutiveFailures += 1;
      const code = error instanceof ContinuumError ? error.code : "UNEXPECTED";
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.warn({ code, err: message, consecutiveFailures: this.#consecutiveFailures }, "matching round failed");
      this.emit("roundFailed", { code, message, consecutiveFailures: this.#consecutiveFailures });
    }
    if (!this.#running) return;
    const backoff = this.#intervalMs * 2 ** Math.min(this.#consecutiveFailures, 16);
    this.#schedule(this.#consecutiveFailures === 0 ? this.#intervalMs : Math.min(backoff, this.#maxBackoffMs));
  }

  async #runRound(): Promise<RoundResult> {
    const result: RoundResult = { matched: 0, refused: 0 };
    const now = await this.#node("reading the chain time", () => this.#chain.latestTimestamp());
    await this.#releaseParkedOffers(Date.now());
    const expired = this.#book.pruneExpired(now);
    if (expired.length > 0) this.#logger.debug({ count: expired.length }, "expired orders left the book");
    for (const hash of this.#parkedRequests.keys()) if (!this.#book.has(hash)) this.#parkedRequests.delete(hash);
    for (const request of this.#book.openRequests()) {
      if (this.#halted) break;
      if ((this.#parkedRequests.get(request.hash) ?? 0) > Date.now()) continue;
      this.#parkedRequests.delete(request.hash);
      await this.#matchRequest(request.hash, now, result);
    }
    return result;
  }

  /** Matches one request until it is filled, finds no match, is refused, or had its share of deals. */
  async #matchRequest(requestHash: string, now: bigint, result: RoundResult): Promise<void> {
    for (let deals = 0; deals < this.#maxDealsPerRequest && !this.#halted; deals += 1) {
      const request = this.#book.get(requestHash) as SignedOrder<"request"> | undefined;
      if (!request) return;
      const trustOf = await this.#trustFor(request);
      const match = this.#book.findMatch(request, { now, ...(trustOf ? { trustOf } : {}) });
      if (!match) return;
      const input: MatchOrdersInput = { ...match, request };
      const outcome = await this.#sender.send(input);
      await this.#settle(outcome, input);
      if (outcome.status === "matched") result.matched += 1;
      else {
        if (outcome.status === "refused") result.refused += 1;
        return;
      }
    }
  }

  async #settle(outcome: SendOutcome, input: MatchOrdersInput): Promise<void> {
    const log = this.#logger.child({ request: outcome.hashes.request });
    switch (outcome.status) {
      case "matched":
        log.info({ dealId: outcome.dealId, txHash: outcome.txHash, volume: outcome.volume }, "deal created");
        this.emit("matched", { dealId: outcome.dealId, hashes: outcome.hashes, txHash: outcome.txHash });
        return this.#reconcile(outcome.hashes);
      case "refused":
        log.info({ code: outcome.code, details: outcome.details }, "match refused; re-reading its orders");
        this.emit("refused", { hashes: outcome.hashes, code: outcome.code, details: outcome.details });
        await this.#reconcile(outcome.hashes);
        return this.#applyRefusal(outcome.code, outcome.details, input);
      case "duplicate":
        // The book still shows a match already sent: re-read, and give the chain time to catch up.
        log.warn("match already sent; re-reading its orders");
        await this.#reconcile(outcome.hashes);
        return this.#parkRequest(input.request.hash);
      case "failed":
        throw new MatcherError("RPC_ERROR", outcome.error.message, { sent: outcome.sent }, { cause: outcome.error });
    }
  }

  /** What a refusal says about the orders, beyond their consumed volume (already re-read). */
  #applyRefusal(code: string, details: Record<string, string>, input: MatchOrdersInput): void {
    switch (code) {
      case "OrderWasCancelled":
      case "OrderFullyConsumed":
        return; // the re-read already removed or updated the order
      case "OrderExpired":
      case "InvalidSignature":
        this.#book.remove(details.orderHash ?? "");
        return;
      case "TrustNotMet":
        this.#reputations.forget(BigInt(details.workerpool ?? 0));
        return;
      case "InsufficientBalance": {
        const account = (details.account ?? "").toLowerCase();
        const isRequester = account === input.request.order.requester.toLowerCase();
        if (!isRequester && account === input.workerpool.signer.toLowerCase()) return this.#parkOffer(input.workerpool.hash);
        return this.#parkRequest(input.request.hash);
      }
      default:
        // The book and the contract disagree on this match: let the request wait.
        this.#logger.warn({ code, details, request: input.request.hash }, "unexpected refusal; request waits");
        return this.#parkRequest(input.request.hash);
    }
  }

  /** Re-reads each order's consumed volume and updates the book (cancelled or used up: removed). */
  async #reconcile(hashes: MatchHashes): Promise<void> {
    const orders = [hashes.app, hashes.dataset, hashes.workerpool, hashes.request]
      .filter((hash) => hash !== ZeroHash)
      .map((hash) => this.#book.get(hash))
      .filter((order): order is AnySignedOrder => order !== undefined);
    const consumed = await this.#node("re-reading consumed volumes", () => Promise.all(orders.map((order) => this.#chain.consumed(order.hash))));
    orders.forEach((order, index) => this.#book.updateRemaining(order.hash, remainingOf(order, consumed[index]!)));
  }

  /** True while an offer is out of the book after a refusal, waiting to be re-read. */
  isParked(hash: string): boolean {
    return this.#parkedOffers.has(hash.toLowerCase());
  }

  #parkRequest(hash: string): void {
    this.#parkedRequests.set(hash, Date.now() + this.#retryDelayMs);
  }

  #parkOffer(hash: string): void {
    const order = this.#book.get(hash);
    if (!order) return;
    this.#book.remove(hash);
    this.#parkedOffers.set(hash, { order, until: Date.now() + this.#retryDelayMs });
  }

  async #releaseParkedOffers(nowMs: number): Promise<void> {
    const due = [...this.#parkedOffers.values()].filter((parked) => parked.until <= nowMs).map((parked) => parked.order);
    if (due.length === 0) return;
    const consumed = await this.#node("re-reading parked orders", () => Promise.all(due.map((order) => this.#chain.consumed(order.hash))));
    due.forEach((order, index) => {
      this.#parkedOffers.delete(order.hash);
      this.#book.add({ ...order, remaining: remainingOf(order, consumed[index]!) } as AnySignedOrder);
    });
  }

  /** Reputation lookup for a request asking for trust (fresh enough scores of its candidate pools). */
  async #trustFor(request: SignedOrder<"request">): Promise<((workerpool: bigint) => bigint) | undefined> {
    if (request.order.trust === 0n) return undefined;
    const pools = request.order.workerpool !== 0n ? [request.order.workerpool] : this.#book.workerpoolsIn(request.order.category);
    await this.#node("reading reputations", () => this.#reputations.refresh(pools, Date.now()));
    return (workerpool) => this.#reputations.scoreOf(workerpool);
  }

  async #node<T>(stage: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new MatcherError("RPC_ERROR", `Node error while ${stage}: ${message}`, undefined, { cause: error });
    }
  }
}

function remainingOf(order: AnySignedOrder, consumed: bigint): bigint {
  if (consumed === CANCELLED || consumed >= order.order.volume) return 0n;
  return order.order.volume - consumed;
}
