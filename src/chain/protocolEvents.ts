// Reads the protocol's logs from the node and decodes them with the compiled ABIs: the Continuum
// contract and the three asset registries (the payment token is not followed).
import { Interface, Result, getAddress, type Log, type Provider } from "ethers";
import { ContinuumError } from "../core/ContinuumError.ts";
import { loadArtifact } from "./artifacts.ts";
import type { Deployment } from "./deployProtocol.ts";
import type { DealTuple } from "../wire/marketApi/auditRecords.ts";

export type ProtocolContract = "continuum" | "appRegistry" | "datasetRegistry" | "workerpoolRegistry";

/** A decoded argument: uint values are decimal strings, addresses checksummed, structs objects. */
export type EventArgValue = string | boolean | EventArgValue[] | { [key: string]: EventArgValue };
export type EventArgs = { [key: string]: EventArgValue };

/** One decoded protocol log, in a JSON-friendly shape. */
export type ProtocolEvent = {
  name: string;
  contract: ProtocolContract;
  address: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
  args: EventArgs;
};

export type BlockHeader = { number: number; hash: string; parentHash: string; timestamp: number };

/** The `deal` tuple of `DealCreated`, every field a string. */
export type DealArgs = DealTuple;

/** Arguments of the events the ledger projects, as decoded by `ProtocolEventReader`. */
export type ProtocolEventArgs = {
  Deposited: { from: string; account: string; amount: string };
  Withdrawn: { account: string; amount: string };
  CategoryCreated: { category: string; name: string; description: string; maxRunTime: string };
  /** The ratio applies to deals matched from `effectiveAt` (unix seconds) on. */
  StakeRatioChanged: { stakeRatioBps: string; effectiveAt: string };
  SmsSignerChanged: { previousSigner: string; newSigner: string };
  OrderApproved: { kind: string; orderHash: string; signer: string };
  OrderCancelled: { kind: string; orderHash: string; signer: string };
  DealCreated: {
    dealId: string;
    workerpool: string;
    requester: string;
    deal: DealArgs;
    appOrderHash: string;
    datasetOrderHash: string;
    workerpoolOrderHash: string;
    params: string;
  };
  ResultPushed: {
    dealId: string;
    index: string;
    taskId: string;
    worker: string;
    enclave: string;
    resultDigest: string;
    resultCid: string;
  };
  TaskClaimed: { dealId: string; index: string; taskId: string };
  /** `cause`: "1" requester, "2" dataset owner, "3" app owner (FAILURE_CAUSE); `attempt`: the attempt the SMS refused. */
  TaskFailed: { dealId: string; index: string; taskId: string; cause: string; attempt: string };
  ReputationChanged: { workerpool: string; completed: string; failed: string; score: string };
  Transfer: { from: string; to: string; tokenId: string };
  /** An asset's orders signed in an earlier epoch are dead (a transfer, or its owner revoked them). */
  EpochChanged: { id: string; epoch: string };
  AppRegistered: { app: string; owner: string; name: string; bundleCid: string; checksum: string; measurement: string };
  DatasetRegistered: { dataset: string; owner: string; name: string; cid: string; checksum: string };
  WorkerpoolRegistered: { workerpool: string; owner: string; description: string };
  WorkerpoolDescriptionChanged: { workerpool: string; description: string };
};

export type ProjectedEventName = keyof ProtocolEventArgs;

/** The arguments of `event`, typed by its name (the reader decoded them with the contract's ABI). */
export function argsOf<N extends ProjectedEventName>(event: ProtocolEvent, name: N): ProtocolEventArgs[N] {
  if (event.name !== name) {
    throw new ContinuumError("EVENT_NAME_MISMATCH", `expected a ${name} event, got ${event.name}`, { name: event.name });
  }
  return event.args as unknown as ProtocolEventArgs[N];
}

const ARTIFACT_OF = {
  continuum: "Continuum",
  appRegistry: "AppRegistry",
  datasetRegistry: "DatasetRegistry",
  workerpoolRegistry: "WorkerpoolRegistry",
} as const;

/** How many block headers are fetched at once. */
const HEADER_CONCURRENCY = 8;

/** Fetches and decodes the logs of a deployment, and the block headers that anchor them. */
export class ProtocolEventReader {
  readonly #provider: Provider;
  readonly #contracts: Map<string, { contract: ProtocolContract; abi: Interface }>;

  constructor(provider: Provider, deployment: Deployment) {
    this.#provider = provider;
    this.#contracts = new Map();
    for (const contract of Object.keys(ARTIFACT_OF) as ProtocolContract[]) {
      const address = getAddress(deployment[contract]).toLowerCase();
      this.#contracts.set(address, { contract, abi: new Interface(loadArtifact(ARTIFACT_OF[contract]).abi as never) });
    }
  }

  /** The addresses followed, lowercase. */
  get addresses(): string[] {
    return [...this.#contracts.keys()];
  }

  async headBlockNumber(): Promise<number> {
    return this.#provider.getBlockNumber();
  }

  /** Every protocol event of blocks `fromBlock..toBlock` (inclusive), in chain order. */
  async events(fromBlock: number, toBlock: number): Promise<ProtocolEvent[]> {
    const logs = await this.#provider.getLogs({ address: this.addresses, fromBlock, toBlock });
    const events: ProtocolEvent[] = [];
    for (const log of logs) {
      if (log.removed) continue;
      const event = this.#decode(log);
      if (event) events.push(event);
    }
    return events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  }

  /** The header of block `number`, or undefined when the chain has no such block (yet). */
  async block(number: number): Promise<BlockHeader | undefined> {
    const block = await this.#provider.getBlock(number);
    if (!block || block.hash === null) return undefined;
    return { number: block.number, hash: block.hash.toLowerCase(), parentHash: block.parentHash.toLowerCase(), timestamp: block.timestamp };
  }

  /** Headers of the given blocks; throws CHAIN_BLOCK_MISSING if the chain lacks one of them. */
  async blocks(numbers: readonly number[]): Promise<Map<number, BlockHeader>> {
    const unique = [...new Set(numbers)];
    const headers = new Map<number, BlockHeader>();
    for (let start = 0; start < unique.length; start += HEADER_CONCURRENCY) {
      const slice = unique.slice(start, start + HEADER_CONCURRENCY);
      const fetched = await Promise.all(slice.map((number) => this.block(number)));
      fetched.forEach((header, i) => {
        if (!header) {
          throw new ContinuumError("CHAIN_BLOCK_MISSING", `the node has no block ${slice[i]} (the chain changed under the indexer)`, {
            block: slice[i],
          });
        }
        headers.set(header.number, header);
      });
    }
    return headers;
  }

  #decode(log: Log): ProtocolEvent | undefined {
    const known = this.#contracts.get(log.address.toLowerCase());
    if (!known) return undefined;
    const parsed = known.abi.parseLog({ topics: [...log.topics], data: log.data });
    if (!parsed) return undefined;
    return {
      name: parsed.name,
      contract: known.contract,
      address: getAddress(log.address),
      blockNumber: log.blockNumber,
      blockHash: log.blockHash.toLowerCase(),
      transactionHash: log.transactionHash.toLowerCase(),
      logIndex: log.index,
      args: toEventArgs(parsed.args),
    };
  }
}

/** Converts a decoded ethers Result into plain JSON: bigints become decimal strings. */
export function toEventArgs(result: Result): EventArgs {
  return toArgValue(result.toObject(true)) as EventArgs;
}

function toArgValue(value: unknown): EventArgValue {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return String(value);
  if (value instanceof Result) return toArgValue(value.toObject(true));
  if (Array.isArray(value)) return value.map(toArgValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toArgValue(inner)]));
  }
  throw new ContinuumError("UNDECODABLE_EVENT_ARGUMENT", `cannot represent event argument ${String(value)}`);
}
