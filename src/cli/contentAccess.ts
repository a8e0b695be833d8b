// The CLI's access to content storage: the configured store (embedded Helia under the data dir,
// or Kubo through IPFS_API_URL), opened lazily because the IPFS stack is slow to load; or an
// IPFS HTTP gateway, whose answers are verified against the CID before use.
import { fetchWithRetry } from "../core/fetchWithRetry.ts";
import type { ContentStore } from "../storage/index.ts";
import type { CliContext } from "./context.ts";
import { CliError } from "./errors.ts";

/** Runs `use` with the configured content store and always stops it. */
export async function withContentStore<T>(context: CliContext, use: (store: ContentStore) => Promise<T>): Promise<T> {
  const { openContentStore } = await import("../storage/index.ts");
  const { silentLogger } = await import("../core/logger.ts");
  context.output.status(context.config.ipfs.apiUrl ? "connecting to the Kubo node ..." : "starting the IPFS node ...");
  const store = await openContentStore({
    dataDir: context.dataDir,
    ipfsApiUrl: context.config.ipfs.apiUrl,
    logger: silentLogger(),
  });
  try {
    return await use(store);
  } finally {
    await store.stop();
  }
}

export function storedByLabel(context: CliContext, backend: ContentStore["backend"]): string {
  return backend === "helia" ? `embedded IPFS node (${context.dataDir}/ipfs)` : "Kubo node";
}

/** Fetches `cid` from an IPFS HTTP gateway and checks that the bytes hash to that CID. */
export async function fetchFromGateway(gatewayUrl: string, cid: string, maxBytes: number): Promise<Uint8Array> {
  const url = `${gatewayUrl.replace(/\/+$/, "")}/ipfs/${cid}`;
  let response: Response;
  try {
    response = await fetchWithRetry(url, () => ({ signal: AbortSignal.timeout(60_000) }));
  } catch (cause) {
    throw new CliError("GATEWAY_UNREACHABLE", `Cannot reach the IPFS gateway at ${gatewayUrl}: is it running?`, { url }, { cause });
  }
  if (!response.ok) {
    throw new CliError("CONTENT_NOT_FOUND", `The IPFS gateway answered HTTP ${response.status} for ${cid}`, { url, cid });
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > maxBytes) throw new CliError("CONTENT_TOO_LARGE", `The content of ${cid} is larger than ${maxBytes} bytes`, { cid });
  const { verifyContent } = await import("../storage/index.ts");
  if (!(await verifyContent(cid, bytes))) {
    throw new CliError("CONTENT_MISMATCH", `The IPFS gateway at ${gatewayUrl} returned bytes that do not hash to ${cid}`, { url, cid });
  }
  return bytes;
}
