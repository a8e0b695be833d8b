// Follows the protocol's events from its deployment block into the ledger, one bounded block
// range per database transaction; resumes from its cursor, waits for confirmations and rewinds
// the blocks a reorganization replaced.
import { EventEmitter } from "node:events";
import type { Provider } from "ethers";
import type { DataSource, EntityManager } from "typeorm";
import type { Deployment } from "../chain/deployProtocol.ts";
import { ProtocolEventReader, type BlockHeader, type EventArgs, type ProtocolEvent } from "../chain/protocolEvents.ts";
import { silentLogger, type Logger } from "../core/logger.ts";
import { WakeableDelay } from "../core/wakeableDelay.ts";
import { indexerRepositories, type IndexerCursor } from "../persistence/indexer/index.ts";
import { LEDGER_CURSOR_NAME, LedgerWriter } from "../persistence/ledger/index.ts";
import { IndexerError } from "./IndexerError.ts";
import { dealsToLoad, projectEvents } from "./projectEvents.ts";

export type ChainIndexerOptions = {
  provider: Provider;
  deployment: Deployment;
  db: DataSource;
  /** Blocks on top of a block before its events are indexed (default 0). */
  confirmations?: number;
  /** Largest block range read and stored at once (default 2000). */
  batchBlocks?: number;
  /** Pause between polls once caught up, and after a failed poll (default 2000). */
  pollIntervalMs?: number;
  /** How many blocks below the last indexed one keep their hash for reorg detection (default 1000). */
  reorgDepth?: number;
  logger?: Logger;
};

/** An event as listeners of "applied" receive it; bigints are decimal strings. */
export type AppliedEvent = {
  name: string;
  contract: ProtocolEvent["contract"];
  blockNumber: number;
  transactionHash: string;
  logIndex: number;
  args: EventArgs;
};

export type SyncResult = { from: number; to: number; events: number };

/** How far the ledger is behind: `blocks` from the last indexed block to the confirmed head (0 when caught up). */
export type IndexerLag = { lastIndexed: number; confirmedHead: number; blocks: number };

type ChainIndexerEvents = { applied: [events: AppliedEvent[]]; rewound: [forkBlock: number] };

const DEFAULTS = { confirmations: 0, batchBlocks: 2_000, pollIntervalMs: 2_000, reorgDepth: 1_000 };

/**
 * Emits "applied" with the events of each stored range (after its transaction committed) and
 * "rewound" with the first block dropped by a reorganization.
 */
export class ChainIndexer extends EventEmitter<ChainIndexerEvents> {
  readonly #db: DataSource;
  readonly #reader: ProtocolEventReader;
  readonly #deployBlock: number;
  readonly #options: typeof DEFAULTS;
  readonly #logger: Logger;
  #queue: Promise<unknown> = Promise.resolve();
  #loop: Promise<void> | undefined;
  #stopping = false;
  readonly #delay = new WakeableDelay();

  constructor(options: ChainIndexerOptions) {
    super();
    this.#options = { ...DEFAULTS, ...definedOnly(options) };
    for (const [name, min] of [["confirmations", 0], ["batchBlocks", 1], ["pollIntervalMs", 0], ["reorgDepth", 1]] as const) {
      const value = this.#options[name];
      if (!Number.isSafeInteger(value) || value < min) {
        throw new IndexerError("INVALID_INDEXER_OPTIONS", `${name} must be an integer of at least ${min}`, { [name]: value });
      }
    }
    this.#db = options.db;
    this.#reader = new ProtocolEventReader(options.provider, options.deployment);
    this.#deployBlock = options.deployment.deployBlock;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "indexer" });
  }

  /**
   * Indexes the next block range (at most `batchBlocks`, up to the confirmed head), after
   * rewinding any blocks the chain replaced. `to < from` when there was nothing new.
   */
  syncOnce(): Promise<SyncResult> {
    const run = this.#queue.then(() => this.#syncNextRange());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Indexes range after range until the confirmed head; returns the total. */
  async catchUp(): Promise<SyncResult> {
    const first = await this.syncOnce();
    const total = { ...first };
    let last = first;
    while (last.to >= last.from && !(await this.#isCaughtUp(last.to))) {
      last = await this.syncOnce();
      total.to = Math.max(total.to, last.to);
      total.events += last.events;
    }
    return total;
  }

  /** Reads the stored cursor and the chain's head: how many confirmed blocks are not indexed yet. */
  async lag(): Promise<IndexerLag> {
    const cursor = await indexerRepositories(this.#db).cursors.get(LEDGER_CURSOR_NAME);
    const lastIndexed = cursor ? cursor.lastBlock : this.#deployBlock - 1;
    const confirmedHead = (await this.#reader.headBlockNumber()) - this.#options.confirmations;
    return { lastIndexed, confirmedHead, blocks: Math.max(0, confirmedHead - lastIndexed) };
  }

  /** Starts polling: catch up, wait `pollIntervalMs`, repeat; failures are logged and retried. */
  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** Stops polling and waits for the range being stored, if any. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#delay.wake();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    this.#logger.info({ deployBlock: this.#deployBlock, ...this.#options }, "indexer started");
    while (!this.#stopping) {
      let caughtUp = true;
      try {
        const result = await this.syncOnce();
        caughtUp = result.to < result.from || (await this.#isCaughtUp(result.to));
      } catch (error) {
        this.#logger.warn({ err: error }, "indexing failed; retrying after the poll interval");
      }
      if (caughtUp && !this.#stopping) await this.#delay.wait(this.#options.pollIntervalMs);
    }
    this.#logger.info("indexer stopped");
  }

  async #isCaughtUp(lastIndexed: number): Promise<boolean> {
    return lastIndexed >= (await this.#reader.headBlockNumber()) - this.#options.confirmations;
  }

  async #syncNextRange(): Promise<SyncResult> {
    const cursor = await this.#checkedCursor();
    const from = cursor ? cursor.lastBlock + 1 : this.#deployBlock;
    const confirmedHead = (await this.#reader.headBlockNumber()) - this.#options.confirmations;
    const to = Math.min(confirmedHead, from + this.#options.batchBlocks - 1);
    if (to < from) return { from, to: from - 1, events: 0 };

    const events = await this.#reader.events(from, to);
    const headers = await this.#reader.blocks([...events.map((event) => event.blockNumber), to]);
    for (const event of events) {
      if (headers.get(event.blockNumber)!.hash !== event.blockHash) {
        throw new IndexerError("CHAIN_CHANGED_DURING_READ", `block ${event.blockNumber} changed while range ${from}-${to} was read`, {
          from,
          to,
          block: event.blockNumber,
        });
      }
    }
    const applied = await this.#db.transaction((manager) => this.#store(manager, events, headers, to));
    this.#logger.info({ from, to, events: applied.length }, "indexed block range");
    if (applied.length > 0) this.emit("applied", applied.map(appliedEventOf));
    return { from, to, events: applied.length };
  }

  /** Stores the range's new events, their projection, the blocks and the cursor, atomically. */
  async #store(manager: EntityManager, events: ProtocolEvent[], headers: Map<number, BlockHeader>, to: number): Promise<ProtocolEvent[]> {
    const repos = indexerRepositories(manager);
    const ledger = new LedgerWriter(manager);
    const rows = events.map((source) => ({
      source,
      blockNumber: source.blockNumber,
      blockHash: source.blockHash,
      txHash: source.transactionHash,
      logIndex: source.logIndex,
      eventName: source.name,
      contract: source.address,
      args: source.args,
    }));
    const fresh = (await repos.events.insertNew(rows)).map((row) => row.source);
    const knownDeals = await ledger.dealTerms(dealsToLoad(fresh));
    const blockTimes = new Map([...headers.values()].map((header) => [header.number, header.timestamp]));
    await ledger.apply(projectEvents(fresh, blockTimes, knownDeals));
    await repos.blocks.record([...headers.values()]);
    const [anchor] = await repos.blocks.recordedAtOrBelow(to - this.#options.reorgDepth, 1);
    if (anchor) await repos.blocks.deleteBelow(anchor.number);
    await repos.cursors.set(LEDGER_CURSOR_NAME, { block: to, blockHash: headers.get(to)!.hash });
    return fresh;
  }

  /** The cursor, after rewinding to the last stored block the chain still has, if it changed. */
  async #checkedCursor(): Promise<IndexerCursor | undefined> {
    const repos = indexerRepositories(this.#db);
    const cursor = await repos.cursors.get(LEDGER_CURSOR_NAME);
    if (!cursor) return undefined;
    const onChain = await this.#reader.block(cursor.lastBlock);
    if (onChain?.hash === cursor.lastBlockHash) return cursor;

    const ancestor = await this.#commonAncestor(cursor.lastBlock);
    const forkBlock = ancestor ? ancestor.number + 1 : this.#deployBlock;
    this.#logger.warn({ forkBlock, lastIndexed: cursor.lastBlock }, ancestor ? "chain reorganized; rewinding" : "reorganization deeper than the stored block hashes; rebuilding the ledger");
    await this.#db.transaction(async (manager) => {
      const inTx = indexerRepositories(manager);
      await new LedgerWriter(manager).rewind(forkBlock);
      await inTx.events.deleteFromBlock(forkBlock);
      await inTx.blocks.deleteFrom(forkBlock);
      if (ancestor) await inTx.cursors.set(LEDGER_CURSOR_NAME, { block: ancestor.number, blockHash: ancestor.hash });
      else await inTx.cursors.delete(LEDGER_CURSOR_NAME);
    });
    this.emit("rewound", forkBlock);
    return (await repos.cursors.get(LEDGER_CURSOR_NAME)) ?? undefined;
  }

  /** The highest stored block whose hash the chain still has at that height. */
  async #commonAncestor(below: number): Promise<{ number: number; hash: string } | undefined> {
    const blocks = indexerRepositories(this.#db).blocks;
    let next = below;
    for (;;) {
      const stored = await blocks.recordedAtOrBelow(next, 100);
      for (const block of stored) {
        if ((await this.#reader.block(block.number))?.hash === block.hash) return block;
      }
      if (stored.length < 100) return undefined;
      next = stored[stored.length - 1].number - 1;
    }
  }
}

function appliedEventOf(event: ProtocolEvent): AppliedEvent {
  return {
    name: event.name,
    contract: event.contract,
    blockNumber: event.blockNumber,
    transactionHash: event.transactionHash,
    logIndex: event.logIndex,
    args: event.args,
  };
}

function definedOnly(options: ChainIndexerOptions): Partial<typeof DEFAULTS> {
  const picked: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  return picked;
}
