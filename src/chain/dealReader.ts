// The SMS's only window on the chain: a deal read from its DealCreated log and checked against
// the contract's commitment, task state, chain time, and the registries' owners and measurements.
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
  /** Blocks required on top of a deal's block before it is trusted (default 0). */
  confirmations?: number;
  /** Verified deals kept in memory; a deal never changes once committed (default 10,000). */
  cacheSize?: number;
};

/** A task's state for an enclave session: finalized or not, and the chain's time, at one block. */
export type TaskState = { finalized: boolean; chainTime: bigint };

const DEFAULT_CACHE_SIZE = 10_000;
const DEAL_ID = /^0x[0-9a-fA-F]{64}$/;

export class DealReader {
  readonly #provider: Provider;
  readonly #continuum: Contract;
  readonly #apps: Contract;
  readonly #datasets: Contract;
  readonly #events: Interface;
  readonly #fromBlock: number;
  readonly #confirmations: number;
  readonly #deals: BoundedMap<string, ChainDeal>;
  readonly #measurements = new Map<bigint, string>();
  readonly #isTaskFinalizedSelector: string;
  readonly #taskStates = new Batcher<{ dealId: string; index: bigint }, TaskState>((tasks) => this.#taskStateBatch(tasks));

  constructor(provider: Provider, addresses: DealReaderAddresses, options: DealReaderOptions = {}) {
    this.#provider = provider;
    this.#events = new Interface(loadArtifact("Continuum").abi as never);
    this.#continuum = new Contract(addresses.continuum, this.#events, provider);
    this.#isTaskFinalizedSelector = selectorOf(this.#events, "isTaskFinalized");
    this.#apps = new Contract(addresses.appRegistry, loadArtifact("AppRegistry").abi as never, provider);
    this.#datasets = new Contract(addresses.datasetRegistry, loadArtifact("DatasetRegistry").abi as never, provider);
    this.#fromBlock = addresses.deployBlock ?? 0;
    this.#confirmations = options.confirmations ?? 0;
    this.#deals = new BoundedMap(options.cacheSize ?? DEFAULT_CACHE_SIZE);
  }

  /**
   * The deal with this id, from its DealCreated log, once `isDeal` confirms the contract committed
   * to exactly that deal and it has enough confirmations; undefined when there is no such deal.
   */
  async readDeal(dealId: string): Promise<ChainDeal | undefined> {
    if (!DEAL_ID.test(dealId)) return undefined;
    const key = dealId.toLowerCase();
    const cached = this.#deals.get(key);
    if (cached) return cached;
    const logs = await this.#read("the DealCreated logs", () =>
      this.#provider.getLogs({
        address: this.#continuum.target as string,
        topics: [this.#events.getEvent("DealCreated")!.topicHash, key],
        fromBlock: this.#fromBlock,
        toBlock: "latest",
      }),
    );
    for (const log of logs) {
      const parsed = this.#events.parseLog(log);
      if (parsed?.name !== "DealCreated") continue;
      const found: ChainDeal = {
        dealId: key,
        deal: toDeal(parsed.args.deal),
        params: parsed.args.params as string,
        blockNumber: log.blockNumber,
      };
      if (await this.#isCommitted(found)) {
        this.#deals.set(key, found);
        return found;
      }
    }
    return undefined;
  }

  /**
   * Whether task `index` of the deal is finalized (its result accepted, or claimed) and the chain
   * time deadlines are judged by, both as of one block: the latest when the read started. Reads
   * asked at the same time share that block (see Batcher), never one fetched before they asked.
   */
  taskState(dealId: string, index: bigint): Promise<TaskState> {
    return this.#taskStates.submit({ dealId: dealId.toLowerCase(), index });
  }

  async #taskStateBatch(tasks: readonly { dealId: string; index: bigint }[]): Promise<TaskState[]> {
    const block = await this.#read("the latest block", () => this.#provider.getBlock("latest"));
    if (!block) throw new ChainReadError("the latest block", new Error("the node returned no latest block"));
    const chainTime = BigInt(block.timestamp);
    const finalized = new Map<string, Promise<boolean>>();
    for (const { dealId, index } of tasks) {
      const key = `${dealId}:${index}`;
      if (!finalized.has(key)) finalized.set(key, this.#isTaskFinalizedAt(dealId, index, block.number));
    }
    return Promise.all(tasks.map(async ({ dealId, index }) => ({ finalized: await finalized.get(`${dealId}:${index}`)!, chainTime })));
  }

  /** One eth_call of Continuum.isTaskFinalized at `blockTag`, without a Contract object's per-call setup. */
  async #isTaskFinalizedAt(dealId: string, index: bigint, blockTag: number): Promise<boolean> {
    const data = wordCallData(this.#isTaskFinalizedSelector, dealId, index);
    const result = await this.#read("the task state", () => this.#provider.call({ to: this.#continuum.target as string, data, blockTag }));
    return decodeBool(result);
  }

  /** The enclave measurement registered for the app (bytes32 hex), or undefined for an unknown app. */
  async appMeasurement(app: bigint): Promise<string | undefined> {
    const cached = this.#measurements.get(app);
    if (cached) return cached;
    const record = await this.#readOrUndefined("the app", () => this.#apps.appOf(app));
    if (record === undefined) return undefined;
    // AppRegistry has no way to change a measurement, so it is read once per app.
    const measurement = (record.measurement as string).toLowerCase();
    this.#measurements.set(app, measurement);
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

  async #isCommitted(found: ChainDeal): Promise<boolean> {
    const { deal } = found;
    if (dealIdOf(deal.requestHash, deal.requestOffset).toLowerCase() !== found.dealId) return false;
    if (keccak256(toUtf8Bytes(found.params)) !== deal.paramsHash.toLowerCase()) return false;
    if (this.#confirmations > 0) {
      const latest = await this.#read("the block number", () => this.#provider.getBlockNumber());
      if (latest - found.blockNumber + 1 < this.#confirmations) return false;
    }
    return this.#read("the deal commitment", () => this.#continuum.isDeal(deal) as Promise<boolean>);
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
