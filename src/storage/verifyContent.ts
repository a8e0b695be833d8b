// Recomputes a CID from bytes with the store's UnixFS settings, so a client that fetched content
// through an untrusted gateway can check it received exactly what the CID names.
import { unixfs } from "@helia/unixfs";
import type { CID } from "multiformats/cid";
import type { ContentSource } from "./ContentStore.ts";
import { parseCid } from "./parseCid.ts";
import { importUnixfsFile } from "./unixfsImport.ts";

/** Hashing needs somewhere to put blocks; nothing is kept and nothing is read back. */
const discardingBlockstore = {
  async put(cid: CID): Promise<CID> {
    return cid;
  },
  async has(): Promise<boolean> {
    return false;
  },
  async *get(): AsyncGenerator<Uint8Array> {
    throw new Error("the hashing blockstore keeps no blocks");
  },
};

/** The CID `add` would return for this content, computed without storing anything. */
export async function computeCid(content: ContentSource): Promise<string> {
  const cid = await importUnixfsFile(unixfs({ blockstore: discardingBlockstore }), content);
  return cid.toString();
}

/**
 * True when the content hashes to `cid` under the store's import profile; throws BAD_CID when `cid`
 * is not a CID. Content imported with other settings (a CIDv0 from a default Kubo) never matches.
 */
export async function verifyContent(cid: string, content: ContentSource): Promise<boolean> {
  const expected = parseCid(cid);
  const actual = parseCid(await computeCid(content));
  return expected.equals(actual);
}
