// Builds and starts the embedded Helia node: blocks and datastore on disk, libp2p on TCP with noise
// and yamux, and no bootstrap, discovery, DHT or HTTP gateways, so it only talks to peers it is given.
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import { tcp } from "@libp2p/tcp";
import { FsBlockstore } from "blockstore-fs";
import { createHelia } from "helia";
import { join } from "node:path";
import { ClosableFsDatastore } from "./closableFsDatastore.ts";

/** Loopback only, on a free port: a node is reachable from elsewhere only when configured so. */
export const DEFAULT_LISTEN_ADDRESSES: readonly string[] = ["/ip4/127.0.0.1/tcp/0"];

function createNode(blockstore: FsBlockstore, datastore: ClosableFsDatastore, listenAddresses: readonly string[]) {
  return createHelia({
    blockstore,
    datastore,
    // The defaults would ask public delegated routers and trustless gateways for missing blocks.
    http: { delegatedRouters: [], recursiveGateways: [] },
    // Each key given here replaces Helia's default wholesale, which drops its bootstrap list, mDNS,
    // DHT, relay, UPnP, AutoNAT and the websocket and WebRTC transports.
    libp2p: {
      addresses: { listen: [...listenAddresses] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      peerDiscovery: [],
      services: { identify: identify() },
    },
  });
}

export type HeliaNode = ReturnType<typeof createNode>;

export interface RunningHeliaNode {
  helia: HeliaNode;
  /** Stops libp2p and Helia, then closes the on-disk stores. */
  close(): Promise<void>;
}

export async function startHeliaNode(directory: string, listenAddresses: readonly string[]): Promise<RunningHeliaNode> {
  const blockstore = new FsBlockstore(join(directory, "blocks"));
  const datastore = new ClosableFsDatastore(join(directory, "datastore"));
  await blockstore.open();
  await datastore.open();
  const closeStores = async (): Promise<void> => {
    await blockstore.close();
    await datastore.close();
  };
  const helia = createNode(blockstore, datastore, listenAddresses);
  try {
    await helia.start();
  } catch (error) {
    // Release what did start; the start failure is the error worth reporting.
    await helia.stop().catch(() => undefined);
    await closeStores();
    throw error;
  }
  return {
    helia,
    close: async () => {
      try {
        await helia.stop();
      } finally {
        await closeStores();
      }
    },
  };
}
