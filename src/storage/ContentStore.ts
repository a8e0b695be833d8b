// The one interface every content backend implements: UnixFS files addressed by CIDv1 strings.
// Services depend on this interface only; the embedded Helia node and a remote Kubo sit behind it.

/** Bytes to store: a whole buffer or a stream of chunks, imported the same way either way. */
export type ContentSource = Uint8Array | AsyncIterable<Uint8Array>;

export interface ContentOperationOptions {
  /** Aborts the operation; network fetches have no deadline of their own, so pass one. */
  signal?: AbortSignal;
}

export interface ContentReadOptions extends ContentOperationOptions {
  /** Read only blocks already stored locally and fail with CONTENT_NOT_FOUND instead of fetching. */
  offline?: boolean;
}

export interface ContentGetOptions extends ContentReadOptions {
  /** Largest content `get` buffers in memory; larger content fails with CONTENT_TOO_LARGE. */
  maxBytes?: number;
}

export interface ContentStat {
  /** The CID in its canonical string form (base32 for CIDv1). */
  cid: string;
  /** Size of the file's content in bytes. */
  size: number;
}

/** Default ceiling for `get`; stream with `cat` for anything bigger. */
export const DEFAULT_MAX_GET_BYTES = 64 * 1024 * 1024;

export interface ContentStore {
  /** Which implementation this is, so callers can narrow to backend-specific operations. */
  readonly backend: "helia" | "kubo";
  /** Stores the content as a UnixFS file (pinned) and returns its CID. */
  add(content: ContentSource, options?: ContentOperationOptions): Promise<string>;
  /** Streams a file from disk into the store and returns its CID; the file name is not recorded. */
  addFile(path: string, options?: ContentOperationOptions): Promise<string>;
  /** Streams the file's bytes; fetches missing blocks from the network unless `offline`. */
  cat(cid: string, options?: ContentReadOptions): AsyncIterable<Uint8Array>;
  /** Reads the whole file into memory, refusing content larger than `maxBytes`. */
  get(cid: string, options?: ContentGetOptions): Promise<Uint8Array>;
  /** Reads the file's size from its root block. */
  stat(cid: string, options?: ContentReadOptions): Promise<ContentStat>;
  /** Whether the content's root block is stored locally; never touches the network. */
  has(cid: string, options?: ContentOperationOptions): Promise<boolean>;
  /** Releases the backend (stops the embedded node); the store is unusable afterwards. */
  stop(): Promise<void>;
}
