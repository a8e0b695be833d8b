// Opens the content store a deployment is configured for: a remote Kubo node when an IPFS API URL
// is given, otherwise the embedded Helia node under the data directory's `ipfs/` folder.
import { join } from "node:path";
import type { Logger } from "../core/logger.ts";
import { HeliaContentStore } from "./HeliaContentStore.ts";
import { KuboContentStore } from "./KuboContentStore.ts";

export interface OpenContentStoreOptions {
  /** The service's data directory; the embedded node keeps its state in `<dataDir>/ipfs`. */
  dataDir: string;
  /** Kubo RPC API URL (the validated `IPFS_API_URL` setting); selects the Kubo store when set. */
  ipfsApiUrl?: string;
  /** libp2p listen multiaddrs for the embedded node; loopback on a free port by default. */
  listenAddresses?: readonly string[];
  logger: Logger;
}

export async function openContentStore(
  options: OpenContentStoreOptions,
): Promise<HeliaContentStore | KuboContentStore> {
  const logger = options.logger.child({ module: "storage" });
  if (options.ipfsApiUrl !== undefined && options.ipfsApiUrl !== "") {
    return KuboContentStore.connect({ apiUrl: options.ipfsApiUrl, logger });
  }
  return HeliaContentStore.open({
    directory: join(options.dataDir, "ipfs"),
    listenAddresses: options.listenAddresses,
    logger,
  });
}
