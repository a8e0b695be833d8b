// Parses a peer's multiaddr string (e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo...) for dialling,
// rejecting malformed input with BAD_PEER_ADDRESS.
import { multiaddr } from "kubo-rpc-client";
import { StorageError } from "./errors.ts";

// kubo-rpc-client re-exports the multiformats parser libp2p itself uses; it is the declared
// dependency that provides it.
export function parsePeerAddress(address: string): ReturnType<typeof multiaddr> {
  try {
    return multiaddr(address);
  } catch (error) {
    throw new StorageError("BAD_PEER_ADDRESS", "not a valid multiaddr", { address }, { cause: error });
  }
}
