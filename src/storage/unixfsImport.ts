// How bytes become a UnixFS DAG, shared by both stores and by verification so one content always
// gets one CID: IPIP-499's unixfs-v1-2025 profile (CIDv1, sha2-256, raw leaves, 1 MiB chunks, 1024 links).
import type { UnixFS } from "@helia/unixfs";
import type { AddOptions } from "kubo-rpc-client";
import type { CID } from "multiformats/cid";
import type { ContentSource } from "./ContentStore.ts";

export const UNIXFS_PROFILE = "unixfs-v1-2025";

/**
 * The same profile as Kubo `add` flags. `maxFileLinks` (sent as `max-file-links`) needs Kubo 0.35 or
 * later; without it Kubo links 174 chunks per node and files over 174 MiB would get other CIDs.
 */
export const KUBO_ADD_OPTIONS: AddOptions & { maxFileLinks: number } = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: "size-1048576",
  hashAlg: "sha2-256",
  maxFileLinks: 1024,
};

export async function importUnixfsFile(fs: UnixFS, content: ContentSource, signal?: AbortSignal): Promise<CID> {
  const options = { profile: UNIXFS_PROFILE, signal } as const;
  return content instanceof Uint8Array ? fs.addBytes(content, options) : fs.addByteStream(content, options);
}
