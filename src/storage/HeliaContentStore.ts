// The embedded content store: an in-process Helia node keeping its blocks under the data directory
// and exchanging them over bitswap with the peers it is connected to.
import { unixfs, type UnixFS } from "@helia/unixfs";
import type { CID } from "multiformats/cid";
import { silentLogger, type Logger } from "../core/logger.ts";
import {
  DEFAULT_MAX_GET_BYTES,
  type ContentGetOptions,
  type ContentOperationOptions,
  type ContentReadOptions,
  type ContentSource,
  type ContentStat,
  type ContentStore,
} from "./ContentStore.ts";
import { StorageError } from "./errors.ts";
import { openFileSource } from "./fileSource.ts";
import { heliaReadError } from "./heliaErrors.ts";
import { DEFAULT_LISTEN_ADDRESSES, startHeliaNode, type RunningHeliaNode } from "./heliaNode.ts";
import { parseCid } from "./parseCid.ts";
import { parsePeerAddress } from "./peerAddress.ts";
import { readAll } from "./readAll.ts";
import { importUnixfsFile } from "./unixfsImport.ts";

export interface HeliaContentStoreOptions {
  /** Directory for the node's blocks and datastore, normally `<dataDir>/ipfs`; created if missing. */
  directory: string;
  /** libp2p listen multiaddrs; loopback TCP on a free port by default. */
  listenAddresses?: readonly string[];
  logger?: Logger;
}

export class HeliaContentStore implements ContentStore {
  readonly backend = "helia";
  readonly #node: RunningHeliaNode;
  readonly #fs: UnixFS;
  readonly #logger: Logger;
  #stopped = false;

  private constructor(node: RunningHeliaNode, logger: Logger) {
    this.#node = node;
    this.#fs = unixfs(node.helia);
    this.#logger = logger;
  }

  /** Starts a node on `directory`, finding again whatever an earlier node stored there. */
  static async open(options: HeliaContentStoreOptions): Promise<HeliaContentStore> {
    const logger = options.logger ?? silentLogger();
    const startedAt = Date.now();
    let node: RunningHeliaNode;
    try {
      node = await startHeliaNode(options.directory, options.listenAddresses ?? DEFAULT_LISTEN_ADDRESSES);
    } catch (error) {
      throw new StorageError(
        "STORAGE_UNAVAILABLE",
        "the embedded IPFS node failed to start",
        { directory: options.directory },
        { cause: error },
      );
    }
    const store = new HeliaContentStore(node, logger);
    const startupMs = Date.now() - startedAt;
    logger.info(
      { peerId: store.peerId, multiaddrs: store.multiaddrs(), directory: options.directory, startupMs },
      "embedded IPFS node started",
    );
    return store;
  }

  /** This node's libp2p peer id, stable across restarts on the same directory. */
  get peerId(): string {
    return this.#node.helia.libp2p.peerId.toString();
  }

  /** Addresses other nodes can pass to `connect`, each ending in this node's /p2p/ peer id. */
  multiaddrs(): string[] {
    return this.#node.helia.libp2p.getMultiaddrs().map((address) => address.toString());
  }

  /** Opens a libp2p connection to a peer so bitswap can fetch blocks from it. */
  async connect(address: string, options: ContentOperationOptions = {}): Promise<void> {
    this.#assertRunning();
    const target = parsePeerAddress(address);
    try {
      await this.#node.helia.libp2p.dial(target, { signal: options.signal });
    } catch (error) {
      throw new StorageError("PEER_UNREACHABLE", "could not connect to the peer", { address }, { cause: error });
    }
    this.#logger.debug({ address }, "connected to IPFS peer");
  }

  async add(content: ContentSource, options: ContentOperationOptions = {}): Promise<string> {
    this.#assertRunning();
    try {
      const cid = await importUnixfsFile(this.#fs, content, options.signal);
      const pinnedBlocks = await this.#pin(cid, options.signal);
      this.#logger.debug({ cid: cid.toString(), pinnedBlocks }, "content added");
      return cid.toString();
    } catch (error) {
      if (error instanceof StorageError) {
        throw error;
      }
      throw new StorageError("STORAGE_FAILED", "the IPFS node failed to store the content", {}, { cause: error });
    }
  }

  async addFile(path: string, options: ContentOperationOptions = {}): Promise<string> {
    this.#assertRunning();
    return this.add(await openFileSource(path), options);
  }

  async *cat(cid: string, options: ContentReadOptions = {}): AsyncGenerator<Uint8Array> {
    this.#assertRunning();
    const parsed = parseCid(cid);
    try {
      yield* this.#fs.cat(parsed, { offline: options.offline, signal: options.signal });
    } catch (error) {
      throw heliaReadError(error, cid, options.signal);
    }
  }

  async get(cid: string, options: ContentGetOptions = {}): Promise<Uint8Array> {
    return readAll(this.cat(cid, options), options.maxBytes ?? DEFAULT_MAX_GET_BYTES, cid);
  }

  async stat(cid: string, options: ContentReadOptions = {}): Promise<ContentStat> {
    this.#assertRunning();
    const parsed = parseCid(cid);
    try {
      const stats = await this.#fs.stat(parsed, { offline: options.offline, signal: options.signal });
      if (stats.type === "directory") {
        throw new StorageError("NOT_A_FILE", "the CID names a directory, not a file", { cid });
      }
      return { cid: parsed.toString(), size: Number(stats.size) };
    } catch (error) {
      throw heliaReadError(error, cid, options.signal);
    }
  }

  async has(cid: string, options: ContentOperationOptions = {}): Promise<boolean> {
    this.#assertRunning();
    return this.#node.helia.blockstore.has(parseCid(cid), { signal: options.signal });
  }

  async stop(): Promise<void> {
    if (this.#stopped) {
      return;
    }
    this.#stopped = true;
    await this.#node.close();
    this.#logger.info({ peerId: this.peerId }, "embedded IPFS node stopped");
  }

  /** Pins what was added so a future garbage collection keeps it; fetched content stays unpinned. */
  async #pin(cid: CID, signal: AbortSignal | undefined): Promise<number> {
    let blocks = 0;
    try {
      for await (const block of this.#node.helia.pins.add(cid, { signal })) {
        this.#logger.trace({ cid: block.toString() }, "block pinned");
        blocks += 1;
      }
    } catch (error) {
      if (!(error instanceof Error && error.name === "AlreadyPinnedError")) {
        throw error;
      }
    }
    return blocks;
  }

  #assertRunning(): void {
    if (this.#stopped) {
      throw new StorageError("STORAGE_STOPPED", "the content store has been stopped");
    }
  }
}
