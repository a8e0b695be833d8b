// The content store backed by an external Kubo node (or an IPFS cluster proxy) through its RPC API,
// for deployments that run IPFS beside the services; imports use the shared UnixFS profile.
import { create, type CatOptions, type HTTPRPCOptions, type KuboRPCClient } from "kubo-rpc-client";
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
import { isKuboNotFound, kuboError } from "./kuboErrors.ts";
import { parseCid } from "./parseCid.ts";
import { readAll } from "./readAll.ts";
import { KUBO_ADD_OPTIONS } from "./unixfsImport.ts";

export interface KuboContentStoreOptions {
  /** Base URL of Kubo's RPC API, e.g. `http://127.0.0.1:5001`; `/api/v0` is appended. */
  apiUrl: string;
  logger?: Logger;
  /** How long `connect` waits for Kubo to answer before failing with STORAGE_UNAVAILABLE. */
  connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Kubo reads `offline` on any command: answer from the local repo only, never the network. */
type OfflineCapable<T> = T & { offline?: boolean };

function validateApiUrl(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch (error) {
    throw new StorageError("BAD_STORAGE_CONFIG", "the IPFS API URL is not a valid URL", { apiUrl }, { cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new StorageError("BAD_STORAGE_CONFIG", "the IPFS API URL must use http or https", { apiUrl });
  }
  return url.toString();
}

export class KuboContentStore implements ContentStore {
  readonly backend = "kubo";
  readonly apiUrl: string;
  readonly #client: KuboRPCClient;
  readonly #logger: Logger;
  /** Aborted by `stop`, so no request outlives the store. */
  readonly #lifetime = new AbortController();

  /** Creates the client without any I/O; use `connect` to also check that Kubo answers. */
  constructor(options: KuboContentStoreOptions) {
    this.apiUrl = validateApiUrl(options.apiUrl);
    this.#client = create({ url: this.apiUrl });
    this.#logger = options.logger ?? silentLogger();
  }

  /** Creates a store and checks Kubo answers, failing early with STORAGE_UNAVAILABLE otherwise. */
  static async connect(options: KuboContentStoreOptions): Promise<KuboContentStore> {
    const store = new KuboContentStore(options);
    const timeout = AbortSignal.timeout(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    const version = await store.version({ signal: timeout });
    store.#logger.info({ apiUrl: store.apiUrl, kuboVersion: version }, "connected to Kubo");
    return store;
  }

  /** The Kubo daemon's version string. */
  async version(options: ContentOperationOptions = {}): Promise<string> {
    try {
      const result = await this.#client.version({ signal: this.#signal(options.signal) });
      return result.version;
    } catch (error) {
      throw kuboError(error, { apiUrl: this.apiUrl });
    }
  }

  async add(content: ContentSource, options: ContentOperationOptions = {}): Promise<string> {
    try {
      const signal = this.#signal(options.signal);
      const result = await this.#client.add(content, { ...KUBO_ADD_OPTIONS, pin: true, signal });
      const cid = result.cid.toString();
      this.#logger.debug({ cid, size: result.size }, "content added");
      return cid;
    } catch (error) {
      throw kuboError(error, { apiUrl: this.apiUrl });
    }
  }

  async addFile(path: string, options: ContentOperationOptions = {}): Promise<string> {
    this.#assertRunning();
    return this.add(await openFileSource(path), options);
  }

  async *cat(cid: string, options: ContentReadOptions = {}): AsyncGenerator<Uint8Array> {
    const parsed = parseCid(cid);
    const request: OfflineCapable<CatOptions> = { offline: options.offline, signal: this.#signal(options.signal) };
    try {
      yield* this.#client.cat(parsed, request);
    } catch (error) {
      throw kuboError(error, { apiUrl: this.apiUrl, cid });
    }
  }

  async get(cid: string, options: ContentGetOptions = {}): Promise<Uint8Array> {
    return readAll(this.cat(cid, options), options.maxBytes ?? DEFAULT_MAX_GET_BYTES, cid);
  }

  async stat(cid: string, options: ContentReadOptions = {}): Promise<ContentStat> {
    const parsed = parseCid(cid);
    if (options.offline === true && !(await this.has(cid, options))) {
      throw new StorageError("CONTENT_NOT_FOUND", "content is not stored on this node", { cid, offline: true });
    }
    const request: OfflineCapable<HTTPRPCOptions> = { offline: options.offline, signal: this.#signal(options.signal) };
    try {
      const stats = await this.#client.files.stat(`/ipfs/${parsed.toString()}`, request);
      if (stats.type !== "file") {
        throw new StorageError("NOT_A_FILE", "the CID names a directory, not a file", { cid });
      }
      return { cid: parsed.toString(), size: stats.size };
    } catch (error) {
      throw kuboError(error, { apiUrl: this.apiUrl, cid });
    }
  }

  async has(cid: string, options: ContentOperationOptions = {}): Promise<boolean> {
    const parsed = parseCid(cid);
    const request: OfflineCapable<HTTPRPCOptions> = { offline: true, signal: this.#signal(options.signal) };
    try {
      await this.#client.block.stat(parsed, request);
      return true;
    } catch (error) {
      if (isKuboNotFound(error)) {
        return false;
      }
      throw kuboError(error, { apiUrl: this.apiUrl, cid });
    }
  }

  /** Aborts requests in flight and refuses new ones; the Kubo daemon itself keeps running. */
  async stop(): Promise<void> {
    if (!this.#lifetime.signal.aborted) {
      this.#lifetime.abort(new StorageError("STORAGE_STOPPED", "the content store has been stopped"));
    }
  }

  /** The caller's signal joined with the store's lifetime; throws STORAGE_STOPPED once stopped. */
  #signal(signal: AbortSignal | undefined): AbortSignal {
    this.#assertRunning();
    return signal === undefined ? this.#lifetime.signal : AbortSignal.any([signal, this.#lifetime.signal]);
  }

  #assertRunning(): void {
    this.#lifetime.signal.throwIfAborted();
  }
}
