// The SMS's only window on the chain: a deal read from its DealCreated log and checked against the
// contract's commitment, with the task's state and the chain time, all at one block; and the
// registries' owners and measurements.
import { Contract, Interface, getAddress, isError, keccak256, toUtf8Bytes, type Provider } from "ethers";
import { Batcher } from "../core/batcher.ts";
import { BoundedMap } from "../core/bounded.ts";
import { dealIdOf, toDeal } from "../wire/eip712/signing.ts";
import type { Deal } from "../wire/eip712/types.ts";
import { loadArtifact } from "./artifacts.ts";
import { ChainReadError } from "./ChainReadError.ts";
import { decodeBool, selectorOf, wordCallData } from "./wordCalls.ts";
import type { Deployment } from "./deployProtocol.ts";

/** A deal as the chain committed to it, with the request parameters its DealCreated log carried. */
export type ChainDeal = {
  dealId: string;
  deal: Deal;
  /** The request order's params; keccak256(params) equals deal.paramsHash. */
  params: string;
  blockNumber: number;
};

export type DealReaderAddresses = Pick<Deployment, "continuum" | "appRegistry" | "datasetRegistry"> & {
  /** First block to search for DealCreated logs (the deployment block). */
  deployBlock?: number;
};

export type DealReaderOptions = {
  /**
   * Blocks required on top of the judgment block (default 0): every judgment is made at the
   * latest block minus this many, so a reorganisation shallower than it cannot change a verdict.
   */
  confirmations?: number;
  /** Decoded DealCreated logs kept in memory (default 10,000); each is re-checked at every judgment block. */
  cacheSize?: number;
};

/**
 * A task judged at one block, the "judgment block" (the latest minus the confirmations): the
 * deal as the contract commits to it there (undefined when no such deal exists at that block),
 * whether the task is finalized there, and that block's time, by which deadlines are judged.
 */
export type TaskJudgment = {
  block: number;
  chainTime: bigint;
  deal: ChainDeal | undefined;
  finalized: boolean;
  /** The measurement the deal's app has at that block (bytes32 hex), when the deal and the app exist. */
  appMeasurement: string | undefined;
};

/** Where the deal's DealCreated log is, when the caller knows (the scheduler's index does): one block to search. */
export type DealLocation = { dealBlock?: number };

const DEFAULT_CACHE_SIZE = 10_000;
/** Judgment blocks whose answers are kept: the latest and the one before cover the batches of one block. */
const BLOCKS_REMEMBERED = 2;

/**
 * The block a batch is judged at. Every view call names it by hash, so all of a batch's answers
 * come from that one block, and an answer read once for it is final.
 */
type JudgmentBlock = { number: number; hash: string | null };
const DEAL_ID = /^0x[0-9a-fA-F]{64}$/;

export class DealReader {
  readonly #provider: Provider;
  readonly #continuum: Contract;
  readonly #apps: Contract;
  readonly #datasets: Contract;
  readonly #events: Interface;
  readonly #fromBlock: number;
  readonly #confirmations: number;
  /** Decoded DealCreated logs by deal id; a candidate only until the contract commits to it at the judgment block. */
  readonly #logged: BoundedMap<string, ChainDeal>;
  readonly #measurements = new Map<bigint, string>();
  readonly #isTaskFinalizedSelector: string;
  /** Answers of view calls at recent judgment blocks, by block hash (see #atBlock). */
  readonly #answers = new BoundedMap<string, BoundedMap<string, Promise<unknown>>>(BLOCKS_REMEMBERED);
  readonly #cacheSize: number;
  readonly #judgments = new Batcher<{ dealId: string; index: bigint; dealBlock?: number }, TaskJudgment>((tasks) =>
    this.#judgeBatch(tasks),
  );

  constructor(provider: Provider, addresses: DealReaderAddresses, options: DealReaderOptions = {}) {
    this.#provider = provider;
    this.#events = new Interface(loadArtifact("Continuum").abi as never);
    this.#continuum = new Contract(addresses.continuum, this.#events, provider);
    this.#isTaskFinalizedSelector = selectorOf(this.#events, "isTaskFinalized");
    this.#apps = new Contract(addresses.appRegistry, loadArtifact("AppRegistry").abi as never, provider);
    this.#datasets = new Contract(addresses.datasetRegistry, loadArtifact("DatasetRegistry").abi as never, provider);
    this.#fromBlock = addresses.deployBlock ?? 0;
    this.#confirmations = options.confirmations ?? 0;
    this.#cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    this.#logged = new BoundedMap(this.#cacheSize);
  }

  /**
   * The deal with this id as the contract commits to it at the judgment block, or undefined when
   * there is none there (never matched, not yet confirmed, or reorganised away).
   */
  async readDeal(dealId: string, location: DealLocation = {}): Promise<ChainDeal | undefined> {
    return (await this.judgeTask(dealId, 0n, location)).deal;
  }

  /**
   * Judges task `index` of the deal at one block: the deal's existence (its DealCreated log at or
   * below that block, and `isDeal` true there), the task's finalization and the chain time. Calls
   * made at the same time share the block (see Batcher), never one fetched before they asked.
   */
  judgeTask(dealId: string, index: bigint, location: DealLocation = {}): Promise<TaskJudgment> {
    return this.#judgments.submit({ dealId: dealId.toLowerCase(), index, dealBlock: location.dealBlock });
  }

  async #judgeBatch(tasks: readonly { dealId: string; index: bigint; dealBlock?: number }[]): Promise<TaskJudgment[]> {
    const latest = await this.#read("the judgment block", async () => {
      if (this.#confirmations === 0) return this.#provider.getBlock("latest");
      const head = await this.#provider.getBlockNumber();
      return this.#provider.getBlock(Math.max(0, head - this.#confirmations));
    });
    if (!latest) throw new ChainReadError("the judgment block", new Error("the node returned no block at the judgment height"));
    const block: JudgmentBlock = { number: latest.number, hash: latest.hash };
    const chainTime = BigInt(latest.timestamp);
    const deals = new Map<string, Promise<ChainDeal | undefined>>();
    const finalized = new Map<string, Promise<boolean>>();
    const measurementOf = async (found: ChainDeal | undefined): Promise<string | undefined> =>
      found && this.#atBlock(block, `app:${found.deal.app}`, () => this.#appMeasurementAt(found.deal.app, block));
    for (const { dealId, index, dealBlock } of tasks) {
      if (!deals.has(dealId)) deals.set(dealId, this.#committedDealAt(dealId, block, dealBlock));
      const key = `${dealId}:${index}`;
      if (!finalized.has(key) && DEAL_ID.test(dealId)) {
        finalized.set(key, this.#atBlock(block, `finalized:${key}`, () => this.#isTaskFinalizedAt(dealId, index, block)));
      }
    }
    return Promise.all(
      tasks.map(async ({ dealId, index }) => {
        const deal = await deals.get(dealId)!;
        return {
          block: block.number,
          chainTime,
          deal,
          finalized: (await finalized.get(`${dealId}:${index}`)) ?? false,
          appMeasurement: await measurementOf(deal),
        };
      }),
    );
  }

  /**
   * The deal committed at the judgment block. A deal found there is a fact of that block and is
   * kept with its answers; not finding one is not kept, so the next judgment looks again.
   */
  async #committedDealAt(dealId: string, block: JudgmentBlock, dealBlock: number | undefined): Promise<ChainDeal | undefined> {
    const key = `deal:${dealId}`;
    const found = await this.#atBlock(block, key, () => this.#dealAt(dealId, block, dealBlock));
    if (found === undefined) this.#answersAt(block)?.delete(key);
    return found;
  }

  /**
   * One view call's answer at `block`, read once per block hash: the state of a block never
   * changes, so later batches judged at the same block share it. A failed read is not kept.
   * Without a hash (a node that gives none) nothing is kept.
   */
  #atBlock<T>(block: JudgmentBlock, key: string, read: () => Promise<T>): Promise<T> {
    const answers = this.#answersAt(block, true);
    if (answers === undefined) return read();
    let answer = answers.get(key) as Promise<T> | undefined;
    if (answer === undefined) {
      const reading = read();
      answer = reading;
      answers.set(key, reading);
      reading.catch(() => {
        if (answers.get(key) === reading) answers.delete(key);
      });
    }
    return answer;
  }

  #answersAt(block: JudgmentBlock, create = false): BoundedMap<string, Promise<unknown>> | undefined {
    if (block.hash === null) return undefined;
    let answers = this.#answers.get(block.hash);
    if (answers === undefined && create) {
      answers = new BoundedMap(this.#cacheSize);
      this.#answers.set(block.hash, answers);
    }
    return answers;
  }

  /** The deal committed at `block`: a cached candidate first, the logs again when it no longer holds. */
  async #dealAt(dealId: string, block: JudgmentBlock, dealBlock: number | undefined): Promise<ChainDeal | undefined> {
    if (!DEAL_ID.test(dealId)) return undefined;
    const blockNumber = block.number;
    const cached = this.#logged.get(dealId);
    if (cached && cached.blockNumber <= blockNumber && (await this.#isCommittedAt(cached, block))) return cached;
    const fromBlock = dealBlock !== undefined && dealBlock >= this.#fromBlock ? dealBlock : this.#fromBlock;
    const toBlock = dealBlock !== undefined && dealBlock >= this.#fromBlock ? Math.min(dealBlock, blockNumber) : blockNumber;
    if (toBlock < fromBlock) return undefined;
    const logs = await this.#read("the DealCreated logs", () =>
      this.#provider.getLogs({
        address: this.#continuum.target as string,
        topics: [this.#events.getEvent("DealCreated")!.topicHash, dealId],
        fromBlock,
        toBlock,
      }),
    );
    for (const log of logs) {
      const parsed = this.#events.parseLog(log);
      if (parsed?.name !== "DealCreated") continue;
      const found: ChainDeal = { dealId, deal: toDeal(parsed.args.deal), params: parsed.args.params as string, blockNumber: log.blockNumber };
      if (this.#isWellFormed(found) && (await this.#isCommittedAt(found, block))) {
        this.#logged.set(dealId, found);
        return found;
      }
    }
    return undefined;
  }

  /**
   * One eth_call at the judgment block: named by hash (EIP-1898 `{ blockHash }`, the form every node
   * takes; Hardhat refuses a bare hash where a block number goes) when the block has one, else by number.
   */
  #callAt(to: string, data: string, block: JudgmentBlock): Promise<string> {
    const send = (this.#provider as { send?: (method: string, params: unknown[]) => Promise<string> }).send;
    if (block.hash === null || typeof send !== "function") return this.#provider.call({ to, data, blockTag: block.number });
    return send.call(this.#provider, "eth_call", [{ to, data }, { blockHash: block.hash }]);
  }

  /** One eth_call of Continuum.isTaskFinalized at `block`, without a Contract object's per-call setup. */
  async #isTaskFinalizedAt(dealId: string, index: bigint, block: JudgmentBlock): Promise<boolean> {
    const data = wordCallData(this.#isTaskFinalizedSelector, dealId, index);
    const result = await this.#read("the task state", () => this.#callAt(this.#continuum.target as string, data, block));
    return decodeBool(result);
  }

  /**
   * The enclave measurement registered for the app at `block` (bytes32 hex), or undefined for
   * an unknown app. AppRegistry never changes a measurement, so one read at a confirmed block is
   * final and kept; with no confirmations a reorganisation could give the app id to another app,
   * so it is read at every judgment.
   */
  async #appMeasurementAt(app: bigint, block: JudgmentBlock): Promise<string | undefined> {
    const cached = this.#measurements.get(app);
    if (cached) return cached;
    const data = this.#apps.interface.encodeFunctionData("appOf", [app]);
    const record = await this.#readOrUndefined("the app", async () =>
      this.#apps.interface.decodeFunctionResult("appOf", await this.#callAt(this.#apps.target as string, data, block))[0],
    );
    if (record === undefined) return undefined;
    const measurement = (record.measurement as string).toLowerCase();
    if (this.#confirmations > 0) this.#measurements.set(app, measurement);
    return measurement;
  }

  /** The app's current owner (checksummed), or undefined for an unknown app. */
  appOwner(app: bigint): Promise<string | undefined> {
    return this.#ownerOf(this.#apps, app, "the app owner");
  }

  /** The dataset's current owner (checksummed), or undefined for an unknown dataset. */
  datasetOwner(dataset: bigint): Promise<string | undefined> {
    return this.#ownerOf(this.#datasets, dataset, "the dataset owner");
  }

  /** The log's deal id and params agree with its deal tuple (the contract emits both; a node could lie). */
  #isWellFormed(found: ChainDeal): boolean {
    const { deal } = found;
    return (
      dealIdOf(deal.requestHash, deal.requestOffset).toLowerCase() === found.dealId &&
      keccak256(toUtf8Bytes(found.params)) === deal.paramsHash.toLowerCase()
    );
  }

  /** Whether the contract commits to exactly this deal at `block` (one eth_call of isDeal there). */
  #isCommittedAt(found: ChainDeal, block: JudgmentBlock): Promise<boolean> {
    const data = this.#continuum.interface.encodeFunctionData("isDeal", [found.deal]);
    return this.#read("the deal commitment", async () =>
      this.#continuum.interface.decodeFunctionResult("isDeal", await this.#callAt(this.#continuum.target as string, data, block))[0] as boolean,
    );
  }

  async #ownerOf(registry: Contract, id: bigint, what: string): Promise<string | undefined> {
    const owner = await this.#readOrUndefined(what, () => registry.ownerOf(id) as Promise<string>);
    return owner === undefined ? undefined : getAddress(owner);
  }

  /** Runs a view call; a revert (such as ERC721NonexistentToken) means "no such asset". */
  async #readOrUndefined<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (isError(error, "CALL_EXCEPTION") || isRevertedCall(error)) return undefined;
      throw new ChainReadError(what, error);
    }
  }

  async #read<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new ChainReadError(what, error);
    }
  }
}

/**
 * A JSON-RPC "execution reverted" error (code 3) that reached us unconverted: in-process
 * providers such as Hardhat's pass the node's error through rather than ethers' CALL_EXCEPTION.
 */
function isRevertedCall(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === 3;
}
