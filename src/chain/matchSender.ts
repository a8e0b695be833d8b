// Sends `matchOrders` from one wallet: one transaction at a time with an explicitly managed
// nonce, a gas estimate first so a match the contract would refuse is never sent (its custom
// error decoded instead), and a memory of sent matches so the same match is never sent twice.
import { Contract, ZeroHash, type Interface, type Provider, type Signer, type TransactionReceipt } from "ethers";
import { ContinuumError } from "../core/ContinuumError.ts";
import { silentLogger, type Logger } from "../core/logger.ts";
import { ZERO_ADDRESS, ZERO_BYTES32, type DatasetOrder, type SignedOrder } from "../wire/eip712/index.ts";
import { loadArtifact } from "./artifacts.ts";
import { BoundedSet } from "../core/bounded.ts";

/** The four orders of one match; no dataset order for a request without dataset. */
export type MatchOrdersInput = {
  app: SignedOrder<"app">;
  dataset?: SignedOrder<"dataset">;
  workerpool: SignedOrder<"workerpool">;
  request: SignedOrder<"request">;
};

/** The orders' EIP-712 digests; `dataset` is the zero hash for a match without dataset. */
export type MatchHashes = { app: string; dataset: string; workerpool: string; request: string };

export type SendOutcome =
  | { status: "matched"; hashes: MatchHashes; dealId: string; txHash: string; volume: bigint }
  /** The contract refuses the match: found by the gas estimate (nothing sent) or, after a lost race, on-chain (`txHash`). */
  | { status: "refused"; hashes: MatchHashes; code: string; details: Record<string, string>; txHash?: string }
  /** This match (same orders, same request offset) was already sent or is being sent. */
  | { status: "duplicate"; hashes: MatchHashes }
  /** The node could not be reached or did not answer; `sent` tells whether the transaction may have left. */
  | { status: "failed"; hashes: MatchHashes; error: MatchSendError; sent: boolean };

export class MatchSendError extends ContinuumError {}

export type MatchSenderOptions = {
  /** The sending wallet, connected to a provider. */
  wallet: Signer;
  /** Address of the Continuum protocol contract. */
  continuum: string;
  logger?: Logger;
  /** Gas limit = estimate * (100 + margin) / 100; default 20. */
  gasMarginPercent?: number;
  /** How long to wait for a sent transaction's receipt; default 60 s. */
  confirmationTimeoutMs?: number;
  /** Pause between receipt polls while waiting; default 1,000 ms. */
  receiptPollMs?: number;
  /** How many sent matches are remembered to refuse a second send; default 100,000. */
  rememberedMatches?: number;
};

const EMPTY_DATASET_ORDER: DatasetOrder = {
  dataset: 0n, price: 0n, volume: 0n, tag: ZERO_BYTES32, appRestrict: 0n, workerpoolRestrict: 0n,
  requesterRestrict: ZERO_ADDRESS, assetEpoch: 0n, salt: ZERO_BYTES32, expiry: 0n,
};

/** Errors raised before the transaction reached the node: nothing was sent. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "INSUFFICIENT_FUNDS", "NONCE_EXPIRED", "REPLACEMENT_UNDERPRICED"]);

export function matchHashesOf(input: MatchOrdersInput): MatchHashes {
  return {
    app: input.app.hash.toLowerCase(),
    dataset: input.dataset?.hash.toLowerCase() ?? ZeroHash,
    workerpool: input.workerpool.hash.toLowerCase(),
    request: input.request.hash.toLowerCase(),
  };
}

/** Identifies a match: the four orders and the request's consumed volume (its deal id offset). */
export function matchKeyOf(input: MatchOrdersInput): string {
  const hashes = matchHashesOf(input);
  const consumed = input.request.order.volume - input.request.remaining;
  return `${hashes.app}:${hashes.dataset}:${hashes.workerpool}:${hashes.request}:${consumed}`;
}

export class MatchSender {
  readonly #wallet: Signer;
  readonly #provider: Provider;
  readonly #contract: Contract;
  readonly #logger: Logger;
  readonly #gasMarginPercent: bigint;
  readonly #confirmationTimeoutMs: number;
  readonly #receiptPollMs: number;
  /** Keys of matches sent or being sent; the oldest are forgotten beyond `rememberedMatches`. */
  readonly #sentKeys: BoundedSet<string>;
  /** Next nonce to use, while trusted; undefined after an error (re-read from the chain). */
  #nonce: number | undefined;
  /** Lowest nonce not known to be used: guards re-reads against a node's or provider's stale count. */
  #nonceFloor = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: MatchSenderOptions) {
    if (!options.wallet.provider) {
      throw new MatchSendError("WALLET_NOT_CONNECTED", "The match sender's wallet must be connected to a provider.");
    }
    this.#wallet = options.wallet;
    this.#provider = options.wallet.provider;
    this.#contract = new Contract(options.continuum, loadArtifact("Continuum").abi as never, options.wallet);
    this.#logger = options.logger ?? silentLogger();
    this.#gasMarginPercent = BigInt(options.gasMarginPercent ?? 20);
    this.#confirmationTimeoutMs = options.confirmationTimeoutMs ?? 60_000;
    this.#receiptPollMs = options.receiptPollMs ?? 1_000;
    this.#sentKeys = new BoundedSet(options.rememberedMatches ?? 100_000);
  }

  get contractInterface(): Interface {
    return this.#contract.interface;
  }

  /**
   * Estimates, sends and confirms one match. Calls are queued: the wallet has at most one
   * transaction in flight. Never throws for chain or node trouble: the outcome says what happened.
   */
  send(input: MatchOrdersInput): Promise<SendOutcome> {
    const hashes = matchHashesOf(input);
    const key = matchKeyOf(input);
    if (this.#sentKeys.has(key)) return Promise.resolve({ status: "duplicate", hashes });
    this.#sentKeys.add(key);
    const outcome = this.#queue.then(() => this.#sendNow(input, hashes, key));
    this.#queue = outcome.catch(() => undefined);
    return outcome;
  }

  async #sendNow(input: MatchOrdersInput, hashes: MatchHashes, key: string): Promise<SendOutcome> {
    const args = matchArguments(input);
    const log = this.#logger.child({ request: hashes.request });
    let gas: bigint;
    try {
      gas = await this.#contract.getFunction("matchOrders").estimateGas(...args);
    } catch (error) {
      this.#sentKeys.delete(key);
      const refusal = decodeRefusal(error, this.#contract.interface);
      if (refusal) {
        log.info({ code: refusal.code, details: refusal.details }, "match refused by the contract");
        return { status: "refused", hashes, ...refusal };
      }
      return this.#failure(hashes, error, false, "estimating gas", log);
    }

    let nonce: number;
    try {
      nonce = this.#nonce ?? Math.max(this.#nonceFloor, await this.#provider.getTransactionCount(await this.#wallet.getAddress(), "pending"));
    } catch (error) {
      this.#sentKeys.delete(key);
      return this.#failure(hashes, error, false, "reading the nonce", log);
    }

    let txHash: string;
    let receipt: TransactionReceipt;
    try {
      const gasLimit = (gas * (100n + this.#gasMarginPercent)) / 100n;
      const tx = await this.#contract.getFunction("matchOrders").send(...args, { nonce, gasLimit });
      this.#nonce = nonce + 1;
      this.#nonceFloor = nonce + 1;
      txHash = tx.hash;
      log.info({ txHash, nonce }, "match sent");
      receipt = await this.#receiptOf(txHash);
    } catch (error) {
      this.#nonce = undefined; // re-read from the chain before the next transaction
      if (errorCode(error) === "NONCE_EXPIRED") this.#nonceFloor = Math.max(this.#nonceFloor, nonce + 1);
      const sent = !NOT_SENT_CODES.has(errorCode(error));
      if (!sent) this.#sentKeys.delete(key);
      return this.#failure(hashes, error, sent, "sending the match", log);
    }
    if (receipt.status !== 1) return this.#revertedOnChain(args, hashes, receipt, log);

    const deal = dealCreatedIn(receipt, this.#contract.interface);
    log.info({ txHash, dealId: deal.dealId, volume: deal.volume }, "deal created");
    return { status: "matched", hashes, txHash, ...deal };
  }

  /**
   * Polls for the receipt (mined means one confirmation). Not provider.waitForTransaction: it
   * compares against a cached block number and can miss the block of an automining node.
   */
  async #receiptOf(txHash: string): Promise<TransactionReceipt> {
    const deadline = Date.now() + this.#confirmationTimeoutMs;
    for (;;) {
      const receipt = await this.#provider.getTransactionReceipt(txHash);
      if (receipt) return receipt;
      if (Date.now() >= deadline) {
        throw new MatchSendError("CONFIRMATION_TIMEOUT", `No receipt for ${txHash} after ${this.#confirmationTimeoutMs} ms.`, { txHash });
      }
      await new Promise((resolve) => setTimeout(resolve, this.#receiptPollMs));
    }
  }

  /**
   * Mined but reverted (another matcher was faster): simulate again on the state right after the
   * block that reverted it to learn why. Pinning the block matters: a node's default ("pending")
   * state may not include that block yet when blocks are mined by hand.
   */
  async #revertedOnChain(args: unknown[], hashes: MatchHashes, receipt: TransactionReceipt, log: Logger): Promise<SendOutcome> {
    let refusal = { code: "REVERTED", details: {} as Record<string, string> };
    try {
      await this.#contract.getFunction("matchOrders").staticCall(...args, { blockTag: receipt.blockNumber });
    } catch (error) {
      refusal = decodeRefusal(error, this.#contract.interface) ?? refusal;
    }
    log.warn({ txHash: receipt.hash, code: refusal.code }, "match transaction reverted on-chain");
    return { status: "refused", hashes, txHash: receipt.hash, ...refusal };
  }

  #failure(hashes: MatchHashes, error: unknown, sent: boolean, stage: string, log: Logger): SendOutcome {
    const message = error instanceof Error ? error.message : String(error);
    log.warn({ code: errorCode(error), sent, err: message }, `node error while ${stage}`);
    const failure = new MatchSendError("RPC_ERROR", `Node error while ${stage}: ${message}`, { sent }, { cause: error });
    return { status: "failed", hashes, error: failure, sent };
  }

}

function matchArguments(input: MatchOrdersInput): unknown[] {
  return [
    input.app.order, input.app.signature,
    input.dataset?.order ?? EMPTY_DATASET_ORDER, input.dataset?.signature ?? "0x",
    input.workerpool.order, input.workerpool.signature,
    input.request.order, input.request.signature,
  ];
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : "UNKNOWN";
}

/** The contract's custom error in a failed call or estimate, or null for node trouble. */
export function decodeRefusal(error: unknown, contractInterface: Interface): { code: string; details: Record<string, string> } | null {
  if (errorCode(error) !== "CALL_EXCEPTION") return null;
  const data = (error as { data?: unknown }).data;
  if (typeof data === "string" && data.length >= 10) {
    const parsed = contractInterface.parseError(data);
    if (parsed) {
      const details: Record<string, string> = {};
      parsed.fragment.inputs.forEach((input, index) => (details[input.name || String(index)] = String(parsed.args[index])));
      return { code: parsed.name, details };
    }
  }
  return { code: "REVERTED", details: {} };
}

function dealCreatedIn(receipt: TransactionReceipt, contractInterface: Interface): { dealId: string; volume: bigint } {
  for (const log of receipt.logs) {
    const parsed = contractInterface.parseLog(log);
    if (parsed?.name === "DealCreated") return { dealId: parsed.args.dealId as string, volume: parsed.args.deal.volume as bigint };
  }
  throw new MatchSendError("NO_DEAL_EVENT", `Transaction ${receipt.hash} succeeded without a DealCreated event.`, { txHash: receipt.hash });
}
