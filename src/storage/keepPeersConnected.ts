// Keeps an embedded node connected to the peers it was pointed at (`--ipfs-peer`): without content
// routing they are its only providers, so a connection dropped under load would leave every later
// fetch waiting for its timeout. Re-dialling a connected peer reuses its connection.
import type { Logger } from "../core/logger.ts";
import type { HeliaContentStore } from "./HeliaContentStore.ts";

export const PEER_REDIAL_INTERVAL_MS = 10_000;

/** Re-dials `peers` every interval until the returned stop() is called. */
export function keepPeersConnected(store: HeliaContentStore, peers: readonly string[], logger: Logger, intervalMs = PEER_REDIAL_INTERVAL_MS): () => void {
  if (peers.length === 0) return () => undefined;
  const timer = setInterval(() => {
    for (const peer of peers) {
      store.connect(peer, { signal: AbortSignal.timeout(intervalMs) }).catch((error: unknown) => logger.warn({ err: error, peer }, "cannot reach an IPFS peer; trying again"));
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
